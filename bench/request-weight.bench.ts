// Issue 14: the worker's request weight a minute on Binance's IP limit (2,400), measured by the
// simulator's accounting of Binance's documented weight per endpoint (sim/api/request-weights.ts).
// A real worker process, default settings, SHADOW (the legacy modules place and look up exit
// orders), after a warm-up, in the same run:
//   poll   — the baseline: ACCOUNT_STREAM=false, the account read over REST every 2 s;
//   stream — the default: positions and orders from the user-data stream, candles from the kline
//            stream, a full REST read once a minute;
// each first with the simulator only counting (demand: what the worker asks for), then the stream
// with Binance's settings enforced (past 2,400 in a wall-clock minute 429, and 418 — an IP ban,
// 2 minutes — after 3 429s in a row).
// One-way accounts hold one position per symbol, so "positions on symbols" is N on N; the
// account-wide calls (open orders, open algo orders, positions) do not grow with N.
// BENCH_WEIGHT_WINDOW_S sets each window (60 s; --quick 30 s); BENCH_WEIGHT_SYMBOLS the sizes (20,50).
import { benchSymbols, openPositions, startBenchSim } from "./lib/bench-sim";
import { createBenchDatabase } from "./lib/bench-database";
import { setMode } from "./lib/executor-harness";
import { startWorker } from "./lib/processes";
import { size, sleep, waitFor } from "./lib/quick";
import { reportRow } from "./lib/report";
import { createDb } from "../src/server/db/client";
import { BINANCE_WEIGHT_LIMIT_1M } from "../sim/server/weight-limiter";

const WINDOW_S = size("BENCH_WEIGHT_WINDOW_S", 60, 30);
const WARMUP_S = size("BENCH_WEIGHT_WARMUP_S", 20, 10);
const RUNS = (process.env.BENCH_WEIGHT_SYMBOLS ?? "20,50").split(",").map(Number).filter((n) => n > 0);

type Source = "poll" | "stream";
type Mode = "demand" | "enforced";

/** One worker on a fresh simulator and database; returns the accepted weight a minute per window. */
async function run(symbols: number, source: Source, modes: Mode[]): Promise<Record<Mode, number>> {
  const bench = await createBenchDatabase(`weight${source}${symbols}`);
  const sim = await startBenchSim({ symbols, speed: 60 });
  sim.weights.configure({}); // count only until the enforced window
  const db = createDb(bench.url, { max: 2 });
  // The worker inherits this process's environment (bench/lib/processes.ts).
  process.env.ACCOUNT_STREAM = source === "stream" ? "true" : "false";
  const worker = startWorker(bench.url, sim.url);
  const out: Record<Mode, number> = { demand: NaN, enforced: NaN };
  try {
    await setMode(db, "SHADOW");
    openPositions(sim, benchSymbols(symbols));
    await waitFor(async () => (await db.workerHeartbeat.findFirst({ select: { beatAt: true } })) ?? null, `worker heartbeat (${worker.tail()})`, 120_000, 250);
    await sleep(WARMUP_S * 1000);
    for (const mode of modes) {
      if (mode === "enforced") sim.weights.configure({ limit: BINANCE_WEIGHT_LIMIT_1M, banAfter429s: 3, banMs: 120_000 });
      sim.weights.resetStats();
      const t0 = Date.now();
      while (Date.now() - t0 < WINDOW_S * 1000) {
        if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.tail()}`);
        await sleep(1000);
      }
      const s = sim.weights.stats();
      const minutes = (Date.now() - s.since) / 60_000;
      const total = Object.values(s.weightByEndpoint).reduce((a, b) => a + b, 0);
      const perMin = total / minutes;
      out[mode] = perMin;
      const share = perMin / BINANCE_WEIGHT_LIMIT_1M;
      const top = Object.entries(s.weightByEndpoint).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round(v / minutes)}`).join(", ");
      const refused = `${s.answered429}×429, ${s.answered418}×418`;
      console.log(`request weight (${source}, ${mode}), ${symbols} positions on ${symbols} symbols, over ${(minutes * 60).toFixed(0)} s: ${Math.round(perMin)}/min accepted (${(share * 100).toFixed(0)}% of ${BINANCE_WEIGHT_LIMIT_1M}); ${s.requests} requests, ${refused}`);
      console.log(`  accepted weight a minute by endpoint: ${top}`);
      if (mode === "enforced") {
        reportRow({
          bench: "request-weight",
          figure: `same, Binance's 2,400 limit enforced (429, then 418 ban), ${symbols} positions`,
          value: `${Math.round(perMin)}/min accepted, ${refused}`,
          target: "no 429/418", baseline: `limit ${BINANCE_WEIGHT_LIMIT_1M}/min`, ratio: `${share.toFixed(2)}x`,
          met: s.answered429 + s.answered418 === 0,
        });
      }
    }
  } finally {
    await worker.stop();
    await db.$disconnect();
    await sim.close();
    await bench.drop();
  }
  return out;
}

for (const n of RUNS) {
  const poll = await run(n, "poll", ["demand"]);
  const stream = await run(n, "stream", ["demand", "enforced"]);
  const share = stream.demand / BINANCE_WEIGHT_LIMIT_1M;
  console.log(`request weight, ${n} positions on ${n} symbols: stream ${Math.round(stream.demand)}/min vs polling ${Math.round(poll.demand)}/min (${(stream.demand / poll.demand).toFixed(3)}x)`);
  reportRow({
    bench: "request-weight",
    figure: `worker request weight a minute, ${n} positions on ${n} symbols (user-data stream, demand)`,
    value: `${Math.round(stream.demand)}/min (${(share * 100).toFixed(1)}% of ${BINANCE_WEIGHT_LIMIT_1M})`,
    target: `< 20% of ${BINANCE_WEIGHT_LIMIT_1M} (issue 14)`,
    baseline: `polling every 2 s, same run: ${Math.round(poll.demand)}/min (${((poll.demand / BINANCE_WEIGHT_LIMIT_1M) * 100).toFixed(0)}%)`,
    ratio: `${(stream.demand / poll.demand).toFixed(3)}x`,
    met: share < 0.2,
  });
}
