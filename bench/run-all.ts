// `npm run bench [-- --quick] [-- --only a,b]`: runs every benchmark of issue 9 in its own
// process (a crash or a hang costs only that one), each bounded by a time limit, forwards its
// output, then prints the summary table and writes it to bench/results/latest.{md,json}.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "../src/server/db/embedded-postgres";
import { rowsFromBenchLines } from "./lib/legacy-lines";
import { parseRow, type BenchRow } from "./lib/report";
import { machine, machineLine, markdownTable } from "./lib/summary-table";

interface BenchDef {
  name: string;
  file: string;
  /** time limits in seconds: full run, --quick */
  limitS: [number, number];
  /** extra environment under --quick (for benchmarks that have their own knobs) */
  quickEnv?: Record<string, string>;
}

const soakS = Number(process.env.BENCH_SOAK_S ?? 600);
const BENCHES: BenchDef[] = [
  { name: "kill-switch", file: "kill-switch.bench.ts", limitS: [240, 120], quickEnv: { BENCH_FLIPS: "40", BENCH_RESTARTS: "2" } },
  { name: "kill-switch-in-flight", file: "kill-switch-in-flight.bench.ts", limitS: [300, 150], quickEnv: { BENCH_KILLS: "15" } },
  { name: "tick-to-order", file: "tick-to-order.bench.ts", limitS: [240, 150] },
  { name: "exit-brain-throughput", file: "exit-brain-throughput.bench.ts", limitS: [120, 60], quickEnv: { BENCH_BUDGET_MS: "500" } },
  { name: "executor-cycle", file: "executor-cycle.bench.ts", limitS: [420, 180] },
  { name: "gateway", file: "gateway.bench.ts", limitS: [180, 90] },
  { name: "shadow-log", file: "shadow-log.bench.ts", limitS: [600, 180] },
  { name: "backtest", file: "backtest.bench.ts", limitS: [180, 120] },
  { name: "web", file: "web.bench.ts", limitS: [300, 180] },
  { name: "cockpit-pages", file: "cockpit-pages.bench.ts", limitS: [300, 180] },
  { name: "signin-flood", file: "signin-flood.bench.ts", limitS: [300, 180], quickEnv: { BENCH_FLOOD: "200", BENCH_OPS: "40" } },
  { name: "retention-year", file: "retention-year.bench.ts", limitS: [660, 180] },
  { name: "account-view-age", file: "account-view-age.bench.ts", limitS: [240, 120] },
  { name: "request-weight", file: "request-weight.bench.ts", limitS: [1500, 480] },
  { name: "memory", file: "memory.bench.ts", limitS: [soakS + 240, 240] },
];

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const onlyArg = argv.find((a) => a.startsWith("--only"));
const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : argv[argv.indexOf(onlyArg) + 1])?.split(",").map((s) => s.trim()) : null;
if (only) {
  const unknown = only.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${BENCHES.map((b) => b.name).join(", ")}`);
    process.exit(2);
  }
}
const selected = BENCHES.filter((b) => !only || only.includes(b.name));

// One database server for the whole run: the configured one, else an embedded one on 54359.
let embedded: EmbeddedServer | undefined;
const env: NodeJS.ProcessEnv = { ...process.env, BENCH_QUICK: quick ? "1" : "0" };
if (!env.TEST_DATABASE_URL && !env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(".data", "bench-pg"), port: Number(env.BENCH_PG_PORT ?? 54359), database: "postgres", roles: false });
  env.TEST_DATABASE_URL = embedded.superuserUrl;
}
env.TEST_DATABASE_URL ??= env.DATABASE_URL;

const m = machine();
console.log(`[bench] ${quick ? "QUICK smoke run" : "full run"}; ${machineLine(m)}`);
const rows: BenchRow[] = [];
const runs: { name: string; status: string; seconds: number }[] = [];
for (const b of selected) {
  const limitS = b.limitS[quick ? 1 : 0];
  console.log(`\n=== ${b.name} (limit ${limitS} s) ===`);
  const t0 = Date.now();
  const { code, out, timedOut } = await runOne(b, limitS);
  const seconds = Math.round((Date.now() - t0) / 100) / 10;
  const own = out.split("\n").map(parseRow).filter((r): r is BenchRow => r !== null);
  const got = own.length ? own : rowsFromBenchLines(b.name, out);
  rows.push(...got);
  const status = timedOut ? `TIMEOUT after ${limitS} s` : code === 0 ? "ok" : `FAILED (exit ${code})`;
  if (status !== "ok" || got.length === 0) rows.push({ bench: b.name, figure: "run", value: status, target: "-", baseline: "-", ratio: "-", met: got.length ? null : false });
  runs.push({ name: b.name, status, seconds });
}
await embedded?.stop();

const table = markdownTable(rows);
console.log(`\n=== summary (${quick ? "QUICK" : "full"} run) ===\n${machineLine(m)}\n`);
console.log(table);
console.log(`\n${runs.map((r) => `${r.name}: ${r.status} in ${r.seconds} s`).join("\n")}`);
mkdirSync(path.join("bench", "results"), { recursive: true });
const stem = path.join("bench", "results", quick ? "latest-quick" : "latest");
writeFileSync(`${stem}.json`, JSON.stringify({ machine: m, quick, soakS, runs, rows }, null, 2));
writeFileSync(`${stem}.md`, `# Benchmark run (${quick ? "quick" : "full"})\n\n${machineLine(m)}\n\n${table}\n\n${runs.map((r) => `- ${r.name}: ${r.status} in ${r.seconds} s`).join("\n")}\n`);
console.log(`\nwritten: ${stem}.md, ${stem}.json`);

function runOne(b: BenchDef, limitS: number): Promise<{ code: number | null; out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", b.file)], {
      env: { ...env, ...(quick ? b.quickEnv : {}) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a time-out also ends what it started
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => process.stderr.write(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGTERM");
        setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* already gone */ } }, 5000).unref();
      } catch { /* already gone */ }
    }, limitS * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, timedOut });
    });
  });
}
