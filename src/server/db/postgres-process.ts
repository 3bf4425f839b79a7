// Runs PostgreSQL's own programs: initdb once, then the server as a child process in its own
// process group (so a Ctrl-C in the terminal reaches us, and we stop the server after the
// processes that use it have drained). The child gets a minimal environment: nothing of ours
// (keys, passwords, DATABASE_URL) reaches it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { EmbeddedPostgresError } from "./embedded-postgres-error";
import type { EmbeddedLayout } from "./embedded-layout";

const READY = "database system is ready to accept connections";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

function childEnv(): NodeJS.ProcessEnv {
  // NODE_ENV only because Next's types make it required on ProcessEnv; PostgreSQL ignores it.
  return { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", LANG: "C", TZ: "UTC" };
}

function ids(layout: EmbeddedLayout): { uid?: number; gid?: number } {
  return layout.runAs ? { uid: layout.runAs.uid, gid: layout.runAs.gid } : {};
}

/** Creates the cluster with one superuser `postgres` protected by `password` (scram-sha-256). */
export async function initCluster(layout: EmbeddedLayout, password: string, log: (line: string) => void): Promise<void> {
  // The password file sits next to the data directory (reachable by the server's user), mode 0600.
  const pwfile = path.join(path.dirname(layout.databaseDir), `.pwfile-${randomBytes(6).toString("hex")}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (layout.runAs) await chown(pwfile, layout.runAs.uid, layout.runAs.gid);
  try {
    const args = [
      `--pgdata=${layout.databaseDir}`,
      "--auth=scram-sha-256",
      "--username=postgres",
      `--pwfile=${pwfile}`,
      "--encoding=UTF8",
      "--locale=C",
    ];
    const { code, output } = await runToEnd(path.join(layout.binDir, "initdb"), args, layout, log);
    if (code !== 0) {
      throw new EmbeddedPostgresError(
        `initdb could not create the embedded PostgreSQL cluster in ${layout.databaseDir} (exit ${code}): ${lastLines(output)}. Remove that folder if it is a failed earlier attempt, or set DATABASE_URL to use another server.`,
      );
    }
  } finally {
    await rm(pwfile, { force: true });
  }
}

export interface RunningPostgres {
  stop(): Promise<void>;
}

export async function startServer(layout: EmbeddedLayout, port: number, log: (line: string) => void): Promise<RunningPostgres> {
  const args = ["-D", layout.databaseDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  let child: ChildProcess;
  try {
    child = spawn(path.join(layout.binDir, "postgres"), args, { ...ids(layout), env: childEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    throw spawnFailure(layout, err);
  }
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGQUIT");
      reject(new EmbeddedPostgresError(`The embedded PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s: ${lastLines(output)}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      for (const line of text.split("\n")) if (line.trim()) log(line.trimEnd());
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(spawnFailure(layout, err));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new EmbeddedPostgresError(
          `The embedded PostgreSQL exited during start-up (exit ${code}; data in ${layout.databaseDir}): ${lastLines(output)}. Set PG_LOG=1 to see its whole log, or set DATABASE_URL to use another server.`,
        ),
      );
    });
  });
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGINT"); // PostgreSQL's "fast" shutdown: ends sessions, checkpoints, exits.
      const timer = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function runToEnd(file: string, args: string[], layout: EmbeddedLayout, log: (line: string) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    let child: ChildProcess;
    try {
      child = spawn(file, args, { ...ids(layout), env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
      reject(spawnFailure(layout, err));
      return;
    }
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      for (const line of text.split("\n")) if (line.trim()) log(line.trimEnd());
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err) => reject(spawnFailure(layout, err)));
    child.once("close", (code) => resolve({ code, output }));
  });
}

function spawnFailure(layout: EmbeddedLayout, err: unknown): EmbeddedPostgresError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  const who = layout.runAs ? `the '${layout.runAs.name}' user` : "this user";
  return new EmbeddedPostgresError(
    `The embedded PostgreSQL binaries in ${layout.binDir} cannot be run by ${who} (${code}). Check that folder's permissions, run \`npm ci\` again, or set DATABASE_URL to use another server.`,
  );
}

function lastLines(output: string): string {
  const lines = output.trim().split("\n").filter(Boolean);
  return lines.slice(-3).join(" | ") || "no output";
}
