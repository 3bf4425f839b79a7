// Real worker processes for the fault suite: `node --import tsx worker/main.ts` with a chosen
// environment (never the caller's toggle variables), its stdout+stderr kept in memory and its log
// file in a temporary directory, and kill -9 / SIGTERM by pid.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunningSimulator } from "../../../sim/server/start-simulator";
import { TEST_CREDENTIALS } from "../../../sim/testing/test-simulator";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface WorkerProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** everything the process wrote to stdout and stderr so far */
  output(): string;
  /** the JSON-lines log file's content so far */
  logText(): string;
  alive(): boolean;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The environment a fault-test worker runs with: fast cycles, the watchdog off unless asked for. */
export function workerEnv(dbUrl: string, sim: Pick<RunningSimulator, "url">, over: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), "eb-fault-worker-"));
  return {
    DATABASE_URL: dbUrl,
    EXCHANGE: "sim",
    SIM_URL: sim.url,
    SIM_API_KEY: TEST_CREDENTIALS.apiKey,
    SIM_API_SECRET: TEST_CREDENTIALS.apiSecret,
    LOG_FILE: path.join(dir, "exit_brain.log"),
    SHADOW_LOG_FILE: path.join(dir, "shadow.jsonl"),
    LOG_LEVEL: "info",
    ACCOUNT_REFRESH_MS: "300",
    LEGACY_INTERVAL_S: "0.3",
    HEARTBEAT_INTERVAL_MS: "250",
    EXIT_METRICS_INTERVAL_S: "60",
    WATCHDOG_ENABLED: "false",
    ...over,
  };
}

/** Starts `node --import tsx worker/main.ts` (or another entry) with exactly `env` (plus PATH/HOME). */
export function spawnWorker(name: string, env: Record<string, string>, entry = "worker/main.ts"): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (c) => {
      code = c;
      resolve(c);
    });
  });
  const logFile = env.LOG_FILE ?? "";
  const w: WorkerProcess = {
    name,
    pid: child.pid ?? -1,
    child,
    logFile,
    output: () => out,
    logText: () => (logFile && existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    alive: () => code === undefined,
    exited,
    async kill9() {
      if (code !== undefined) return;
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (code !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return w;
}

/** Polls `check` until it returns a value that is not undefined/false; fails naming `what` after limitMs. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, limitMs = 30_000, everyMs = 100): Promise<T> {
  const end = Date.now() + limitMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Prints one test's figures on a line the report (RELIABILITY.md) is copied from. */
export function printFigures(scenario: string, figures: Record<string, unknown>): void {
  console.log(`[FAULT_FIGURES] ${scenario} ${JSON.stringify(figures)}`);
}
