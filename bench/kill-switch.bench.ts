// Kill switch propagation: commit -> worker's toggle watcher effective, over N flips, next to a
// raw LISTEN/NOTIFY round trip measured in the same run; plus the runbook's restart-based
// rollback (set the environment, restart the worker, state effective) for comparison.
// Target: p99 < 50 ms and within 5x the raw round trip.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import pg from "pg";
import { parseCeilings } from "../src/core/toggles";
import { createDb } from "../src/server/db/client";
import { createLogger } from "../src/server/logger";
import { bootToggles } from "../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../src/server/services/toggles/change-toggles";
import { ToggleWatcher, type ToggleView } from "../worker/toggles/toggle-watcher";
import { BENCH_SIM_CREDENTIALS, startBenchSim } from "./lib/bench-sim";
import { createBenchDatabase } from "./lib/bench-database";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";

const FLIPS = Number(process.env.BENCH_FLIPS ?? 200);
const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 5);
const bench = await createBenchDatabase("kill");
const db = createDb(bench.url, { max: 4 });
const log = createLogger({ name: "bench", level: "silent", console: false });

async function rawNotifyRoundTrips(n: number): Promise<number[]> {
  const listener = new pg.Client({ connectionString: bench.url });
  const sender = new pg.Client({ connectionString: bench.url });
  await listener.connect();
  await sender.connect();
  await listener.query("LISTEN bench_raw");
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const got = new Promise<void>((r) => listener.once("notification", () => r()));
    const t0 = nowMs();
    await sender.query(`NOTIFY bench_raw, '${i}'`);
    await got;
    out.push(nowMs() - t0);
  }
  await listener.end();
  await sender.end();
  return out;
}

function nextView(w: ToggleWatcher, pred: (v: ToggleView) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const on = (v: ToggleView) => {
      if (!pred(v)) return;
      w.off("change", on);
      resolve(nowMs());
    };
    w.on("change", on);
  });
}

interface Flips {
  e2e: number[];
  commitToEffective: number[];
  /** commit → the notification read off its socket in the watcher's process (a probe LISTENer) */
  delivery: number[];
  /** that arrival → the watcher's change event (parse, resolve, emit) */
  inWatcher: number[];
}

function slowest(xs: number[], k = 5): string {
  return xs.map((v, i) => [i, v] as const).sort((a, b) => b[1] - a[1]).slice(0, k).map(([i, v]) => `#${i} ${v.toFixed(2)}`).join(", ");
}

/** The committing process (as the web server or CLI): one command, its start and commit times. */
function startCommitter(): { run(cmd: "kill" | "arm" | "notify"): Promise<{ t0: number; committed: number }>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/lib/toggle-committer.ts", bench.url], { stdio: ["pipe", "pipe", "inherit"] });
  const waiting: ((v: { t0: number; committed: number }) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (l) => waiting.shift()?.(JSON.parse(l) as { t0: number; committed: number }));
  return {
    run(cmd) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin!.write(cmd + "\n");
      });
    },
    async stop() {
      child.stdin!.end("quit\n");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    },
  };
}

/** The raw baseline in the kill switch's topology: NOTIFY sent by the committing process, received here. */
async function crossProcessNotifyRoundTrips(n: number): Promise<number[]> {
  const listener = new pg.Client({ connectionString: bench.url });
  await listener.connect();
  await listener.query("LISTEN bench_raw");
  const committer = startCommitter();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const got = new Promise<number>((r) => listener.once("notification", () => r(nowMs())));
    const { t0 } = await committer.run("notify");
    out.push((await got) - t0);
  }
  await committer.stop();
  await listener.end();
  return out;
}

/**
 * Alternates kill switch and re-arm, committed by another process (in production the watcher
 * never shares an event loop with the committer). Timed separately: the kill switch is a
 * rollback, acted on from the notification's row; the re-arm is an escalation, which waits for
 * the watcher's re-read. Times are on the machine-wide monotonic clock.
 */
async function killSwitchFlips(n: number): Promise<{ kill: Flips; arm: Flips }> {
  await bootToggles(db, {});
  await changeToggles(db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE" }, actor: "bench", source: "api", reason: "bench", ceilings: {} });
  // Poll only every 10 s so that what is measured is the NOTIFY path.
  const w = new ToggleWatcher({ connectionString: bench.url, ceilings: parseCeilings({}), log, pollMs: 10_000 });
  await w.start();
  const committer = startCommitter();
  // Where the time goes: a second LISTENer in the watcher's process notes when each version's
  // notification is read off its socket.
  const probe = new pg.Client({ connectionString: bench.url });
  await probe.connect();
  const arrivals = new Map<number, number>();
  probe.on("notification", (m) => {
    const at = nowMs();
    const version = (JSON.parse(m.payload ?? "{}") as { version?: number }).version;
    if (version !== undefined) arrivals.set(version, at);
  });
  await probe.query("LISTEN exit_toggles");
  const kill: Flips = { e2e: [], commitToEffective: [], delivery: [], inWatcher: [] };
  const armed: Flips = { e2e: [], commitToEffective: [], delivery: [], inWatcher: [] };
  const WARMUP = 10; // untimed flips first: JIT and connection warm-up are not the steady state
  for (let i = -WARMUP; i < n; i++) {
    const arm = Math.abs(i) % 2 === 1;
    const want = arm ? "EXIT_BRAIN_V3_LIVE" : "EXIT_BRAIN_V3_SHADOW";
    if (!arm && w.view().state !== "EXIT_BRAIN_V3_LIVE") {
      const live = nextView(w, (v) => v.state === "EXIT_BRAIN_V3_LIVE");
      await committer.run("arm");
      await live;
    }
    let version = 0;
    const seen = nextView(w, (v) => (version = v.version ?? 0) > 0 && v.state === want);
    const { t0, committed } = await committer.run(arm ? "arm" : "kill");
    const t1 = await seen;
    if (i < 0) continue;
    const into = arm ? armed : kill;
    into.e2e.push(t1 - t0);
    into.commitToEffective.push(Math.max(0, t1 - committed));
    const arrived = arrivals.get(version) ?? t1;
    into.delivery.push(Math.max(0, arrived - committed));
    into.inWatcher.push(Math.max(0, t1 - arrived));
  }
  await probe.end();
  await committer.stop();
  await w.stop();
  return { kill, arm: armed };
}

/** The runbook's path: environment changed, worker restarted, state effective (heartbeat). */
async function restartPath(n: number): Promise<number[]> {
  // The worker needs an exchange: an in-process simulator it reaches over SIM_URL.
  const sim = await startBenchSim({ symbols: 4 });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await changeToggles(db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, actor: "bench", source: "api", reason: "re-arm", confirmLive: true, ceilings: {} });
    await db.workerHeartbeat.deleteMany({});
    const t0 = nowMs();
    const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
      env: { ...process.env, DATABASE_URL: bench.url, EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED", LOG_FILE: "", LOG_LEVEL: "warn", EXCHANGE: "sim",
        SIM_URL: sim.url, SIM_API_KEY: BENCH_SIM_CREDENTIALS.apiKey, SIM_API_SECRET: BENCH_SIM_CREDENTIALS.apiSecret },
      stdio: "ignore",
    });
    for (;;) {
      const beat = await db.workerHeartbeat.findFirst({ select: { info: true } });
      const state = (beat?.info as { toggles?: { state?: string } } | undefined)?.toggles?.state;
      if (state === "EXIT_BRAIN_V3_SHADOW") break;
      await new Promise((r) => setTimeout(r, 5));
    }
    out.push(nowMs() - t0);
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  await sim.close();
  return out;
}

try {
  const sameProcessRaw = summarize(await rawNotifyRoundTrips(FLIPS));
  const raw = summarize(await crossProcessNotifyRoundTrips(FLIPS));
  const flips = await killSwitchFlips(FLIPS * 2);
  const e2e = summarize(flips.kill.e2e);
  const c2e = summarize(flips.kill.commitToEffective);
  const armC2e = summarize(flips.arm.commitToEffective);
  const restart = summarize(await restartPath(RESTARTS));
  console.log(`kill switch: raw NOTIFY round trip, sent by another process (baseline) ${fmt(raw)}`);
  console.log(`kill switch: raw NOTIFY round trip, sender and listener in one process   ${fmt(sameProcessRaw)}`);
  console.log(`kill switch: call -> watcher effective     ${fmt(e2e)}`);
  console.log(`kill switch: commit -> watcher effective   ${fmt(c2e)}`);
  console.log(`   slowest kill samples (index: ms): ${slowest(flips.kill.commitToEffective)}`);
  console.log(`   where: commit -> notification read in the watcher's process ${fmt(summarize(flips.kill.delivery))}`);
  console.log(`          that read -> watcher effective (parse, resolve, emit) ${fmt(summarize(flips.kill.inWatcher))}`);
  console.log(`re-arm LIVE (escalation, waits for the re-read): commit -> watcher effective ${fmt(armC2e)}`);
  console.log(`kill switch: restart path (env + restart)  ${fmt(restart)}`);
  console.log(`kill switch: ratio p99 commit->effective / raw NOTIFY p99 = ${(c2e.p99 / raw.p99).toFixed(2)}x (target <= 5x: ${c2e.p99 <= 5 * raw.p99 ? "met" : "MISSED"}); p99 < 50 ms: commit->effective ${c2e.p99 < 50 ? "met" : "MISSED"}, call->effective ${e2e.p99 < 50 ? "met" : "MISSED"}`);
  console.log(`kill switch: restart path p50 / live path p50 = ${(restart.p50 / e2e.p50).toFixed(0)}x slower`);
  reportRow({ bench: "kill-switch", figure: "commit -> worker effective p99", value: ms(c2e.p99), target: "< 50 ms and <= 5x raw", baseline: `raw NOTIFY p99 ${ms(raw.p99)} (sent by another process; one process ${ms(sameProcessRaw.p99)})`, ratio: ratio(c2e.p99, raw.p99), met: c2e.p99 < 50 && c2e.p99 <= 5 * raw.p99 });
  reportRow({ bench: "kill-switch", figure: "where: commit -> notification in the worker's process p99 / -> effective p99", value: `${ms(summarize(flips.kill.delivery).p99)} / ${ms(summarize(flips.kill.inWatcher).p99)}`, target: "-", baseline: "-", ratio: "-", met: null });
  reportRow({ bench: "kill-switch", figure: "call -> worker effective p99 (incl. transaction)", value: ms(e2e.p99), target: "< 50 ms", baseline: `raw NOTIFY p99 ${ms(raw.p99)}`, ratio: ratio(e2e.p99, raw.p99), met: e2e.p99 < 50 });
  reportRow({ bench: "kill-switch", figure: "re-arm LIVE (escalation: NOTIFY + re-read), commit -> effective p99", value: ms(armC2e.p99), target: "-", baseline: `raw NOTIFY p99 ${ms(raw.p99)}`, ratio: ratio(armC2e.p99, raw.p99), met: null });
  reportRow({ bench: "kill-switch", figure: "restart path (env + restart) p50", value: ms(restart.p50), target: "-", baseline: `live path p50 ${ms(e2e.p50)}`, ratio: ratio(restart.p50, e2e.p50), met: null });
} finally {
  await db.$disconnect();
  await bench.drop();
}
