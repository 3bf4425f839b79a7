// Issue 9 item 8: the worker's resident memory over a long run with 500 open positions (sim
// moving at 60x, 500 symbols), SHADOW mode; flat = the mean of the last fifth within 10% of the
// mean of the second fifth (the first is start-up). BENCH_SOAK_S sets the length (600 s for the
// real run; --quick: 60 s). Baseline in the same run: the worker's RSS right after start-up.
// Peak RSS of the worker is reported here, the web's in web.bench.ts (under load).
import { benchSymbols, openPositions, startBenchSim } from "./lib/bench-sim";
import { createBenchDatabase } from "./lib/bench-database";
import { setMode } from "./lib/executor-harness";
import { sampleRss, startWorker } from "./lib/processes";
import { size, sleep, waitFor } from "./lib/quick";
import { reportRow } from "./lib/report";
import { createDb } from "../src/server/db/client";

const SOAK_S = size("BENCH_SOAK_S", 600, 60);
const N = size("BENCH_SOAK_POSITIONS", 500, 500);
const bench = await createBenchDatabase("soak");
const sim = await startBenchSim({ symbols: N, speed: 60 });
const db = createDb(bench.url, { max: 2 });
const worker = startWorker(bench.url, sim.url);
try {
  await setMode(db, "SHADOW");
  openPositions(sim, benchSymbols(N));
  const info = await waitFor(async () => {
    const beat = await db.workerHeartbeat.findFirst({ select: { info: true } });
    return beat ? (beat.info as { executor?: { running?: boolean } }) : null;
  }, `worker heartbeat (${worker.tail()})`, 120_000, 250);
  const rss = sampleRss(worker.child.pid!, 1000);
  const t0 = Date.now();
  while (Date.now() - t0 < SOAK_S * 1000) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.tail()}`);
    await sleep(1000);
  }
  const s = rss.stop();
  const fifth = Math.max(1, Math.floor(s.length / 5));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const early = mean(s.slice(fifth, 2 * fifth));
  const late = mean(s.slice(-fifth));
  const growth = (late - early) / early;
  const peak = Math.max(...s);
  const positions = sim.sim.engine.book.all().length;
  // Read the executor's state at the end of the soak (the first beat predates its start).
  const endBeat = await db.workerHeartbeat.findFirst({ orderBy: { beatAt: "desc" }, select: { info: true } });
  const running = (endBeat?.info as { executor?: { running?: boolean } } | undefined)?.executor?.running ?? info.executor?.running ?? false;
  console.log(`worker RSS over ${SOAK_S} s with ${positions} positions open at the end (executor running: ${running}):`);
  console.log(`  start ${s[0]?.toFixed(0)} MiB, 2nd fifth mean ${early.toFixed(0)} MiB, last fifth mean ${late.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, growth ${(growth * 100).toFixed(1)}%`);
  console.log(`  every 10th sample (MiB): ${s.filter((_, i) => i % 10 === 0).map((x) => x.toFixed(0)).join(" ")}`);
  reportRow({ bench: "memory", figure: `worker RSS growth over ${SOAK_S} s, ${positions} positions`, value: `${(growth * 100).toFixed(1)}%`, target: "within 10%", baseline: `2nd-fifth mean ${early.toFixed(0)} MiB`, ratio: `${(late / early).toFixed(2)}x`, met: Math.abs(growth) <= 0.1 });
  reportRow({ bench: "memory", figure: "worker peak RSS", value: `${peak.toFixed(0)} MiB`, target: "report", baseline: `start ${s[0]?.toFixed(0)} MiB`, ratio: `${(peak / (s[0] ?? peak)).toFixed(2)}x`, met: null });
} finally {
  await worker.stop();
  await db.$disconnect();
  await sim.close();
  await bench.drop();
}
