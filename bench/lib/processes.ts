// Child processes of the product for the web and memory benchmarks (worker, web), started on
// the bench's own ports and database, plus resident-memory sampling of a process tree.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BENCH_SIM_CREDENTIALS } from "./bench-sim";

export interface Proc {
  name: string;
  child: ChildProcess;
  /** the last lines it printed, for error messages */
  tail(): string;
  stop(): Promise<void>;
}

function start(name: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  // BENCH_LOG_DIR=/tmp/x keeps each child's whole output in <dir>/<name>.log (e.g. with --trace-gc).
  const file = process.env.BENCH_LOG_DIR ? createWriteStream(path.join(process.env.BENCH_LOG_DIR, `${name}.log`)) : null;
  const keep = (d: Buffer) => {
    file?.write(d);
    lines.push(...d.toString().split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return {
    name, child,
    tail: () => lines.join("\n"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function startWorker(dbUrl: string, simUrl: string): Proc {
  return start("worker", ["--import", "tsx", "worker/main.ts"], {
    DATABASE_URL: dbUrl, EXCHANGE: "sim", SIM_URL: simUrl, SIM_API_KEY: BENCH_SIM_CREDENTIALS.apiKey, SIM_API_SECRET: BENCH_SIM_CREDENTIALS.apiSecret,
    LOG_FILE: "", LOG_LEVEL: "warn", SHADOW_LOG_FILE: "",
  });
}

export function startWeb(dbUrl: string, port: number, auth: { secret: string; email: string; password: string }): Proc {
  // e.g. BENCH_WEB_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the web server under load
  const nodeArgs = (process.env.BENCH_WEB_NODE_ARGS ?? "").split(" ").filter(Boolean);
  return start("web", [...nodeArgs, path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
    DATABASE_URL: dbUrl, NEXTAUTH_SECRET: auth.secret, NEXTAUTH_URL: `http://127.0.0.1:${port}`, ADMIN_EMAIL: auth.email, ADMIN_PASSWORD: auth.password,
    LOG_FILE: "", LOG_LEVEL: "warn", WEB_PORT: String(port),
  });
}

/** Resident set size (bytes) of a process and all its descendants, from /proc. */
export function treeRss(rootPid: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch { /* gone */ }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === rootPid) return true;
    return false;
  };
  let total = 0;
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += m ? Number(m[1]) * 1024 : 0;
    } catch { /* gone */ }
  }
  return total;
}

/** Samples a tree's RSS every `everyMs`; stop() returns the samples (MiB). */
export function sampleRss(pid: number, everyMs: number): { stop(): number[]; samples: number[] } {
  const samples: number[] = [];
  const t = setInterval(() => samples.push(treeRss(pid) / 2 ** 20), everyMs);
  return { samples, stop: () => (clearInterval(t), samples) };
}
