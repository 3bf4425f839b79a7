// Starts the embedded PostgreSQL (a real server shipped on npm) under DATA_DIR when no
// DATABASE_URL is given, so a fresh machine needs nothing installed. Data persists across
// restarts. Where the binaries and data live, and which OS user runs the server (PostgreSQL
// refuses root), is decided by embedded-layout.ts; the processes are run by postgres-process.ts.
// Passwords are generated per installation and kept in DATA_DIR (embedded-credentials.ts); on
// every start the owner and runtime roles are created or updated (roles.ts), so `url` is the
// unprivileged runtime login and `ownerUrl` the one that migrates.
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { planEmbeddedLayout } from "./embedded-layout";
import { LEGACY_EMBEDDED_PASSWORD, loadOrCreateCredentials } from "./embedded-credentials";
import { EmbeddedPostgresError } from "./embedded-postgres-error";
import { findPostgresBinaries } from "./postgres-binaries";
import { initCluster, startServer } from "./postgres-process";
import { ensureRoles, ident, prepareDatabase, withCredentials } from "./roles";

export { EmbeddedPostgresError };

export interface EmbeddedServer {
  /** the runtime role (web, worker, CLI) */
  url: string;
  /** the owner role (migrations, admin commands) */
  ownerUrl: string;
  runtimeRole: string;
  /** the superuser, database `postgres`: for test and benchmark harnesses that create their own databases and roles */
  superuserUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** the superuser's password; default: generated and kept in DATA_DIR/pg-credentials.json */
  password?: string;
  /**
   * Create the owner and runtime roles and hand `database` to the owner (default). False for a
   * throwaway server whose harness creates its own databases and roles (npm test, benchmarks):
   * then only `superuserUrl` is meant to be used.
   */
  roles?: boolean;
  log?: (line: string) => void;
  /** Where notes an operator should see go (e.g. a relocated data directory); default: log. */
  notice?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const { credentials } = await loadOrCreateCredentials(opts.dataDir);
  const password = opts.password ?? credentials.superuser.password;
  const database = opts.database ?? "exit_brain";
  await assertPortFree(opts.port);
  const layout = await planEmbeddedLayout(await findPostgresBinaries(), opts.dataDir);
  for (const note of layout.notes) (opts.notice ?? log)(note);
  const databaseDir = layout.databaseDir;
  await removeStalePid(databaseDir, log);
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await initCluster(layout, password, log);
  }
  const server = await startServer(layout, opts.port, log);
  const adminUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  try {
    await replaceLegacyPassword(adminUrl, password, log);
    if (opts.roles !== false) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await ensureRoles(admin, credentials.owner, credentials.runtime);
      } finally {
        await admin.end();
      }
      await prepareDatabase(adminUrl, database, credentials.owner.name);
    }
  } catch (err) {
    await server.stop();
    throw new EmbeddedPostgresError(`The embedded PostgreSQL started but database "${database}" and its roles could not be set up: ${(err as Error).message}`);
  }
  const base = `postgresql://127.0.0.1:${opts.port}/${database}`;
  return {
    url: withCredentials(base, credentials.runtime.name, credentials.runtime.password),
    ownerUrl: withCredentials(base, credentials.owner.name, credentials.owner.password),
    runtimeRole: credentials.runtime.name,
    superuserUrl: adminUrl,
    port: opts.port,
    stop: () => server.stop(),
  };
}

/**
 * Clusters initialised before issue 13 have the superuser password `exit_brain`. If the
 * generated one is refused and the old one works, switch the server to the generated one.
 */
async function replaceLegacyPassword(adminUrl: string, password: string, log: (l: string) => void): Promise<void> {
  const probe = new pg.Client({ connectionString: adminUrl });
  try {
    await probe.connect();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== "28P01") throw err; // invalid_password
  } finally {
    await probe.end().catch(() => {});
  }
  const legacy = new pg.Client({ connectionString: withCredentials(adminUrl, "postgres", LEGACY_EMBEDDED_PASSWORD) });
  await legacy.connect();
  try {
    await legacy.query(`ALTER ROLE ${ident("postgres")} PASSWORD ${pg.escapeLiteral(password)}`);
    log("replaced the embedded server's former hard-coded superuser password with the generated one in pg-credentials.json");
  } finally {
    await legacy.end();
  }
}

async function assertPortFree(port: number): Promise<void> {
  const { createServer } = await import("node:net");
  await new Promise<void>((resolve, reject) => {
    const srv = createServer();
    srv.once("error", () =>
      reject(
        new EmbeddedPostgresError(
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
