// Issue 14: the worker's request weight a minute on Binance's IP limit (2,400), measured by the
// simulator's accounting of Binance's documented weight per endpoint (sim/api/request-weights.ts).
// A real worker process, default settings (account refresh every 2 s), SHADOW (the legacy modules
// place and look up exit orders), after a warm-up; two windows in a row:
//   demand   — the simulator only counts: what the worker asks for;
//   enforced — Binance's settings: past 2,400 in a wall-clock minute the simulator answers 429, and
//              418 (an IP ban, 2 minutes) after 3 429s in a row, as Binance does.
// One-way accounts hold one position per symbol, so "positions on symbols" is N on N; the
// account-wide calls (open orders, open algo orders, positions) do not grow with N.
// BENCH_WEIGHT_WINDOW_S sets each window (120 s; --quick 30 s).
import { benchSymbols, openPositions, startBenchSim } from "./lib/bench-sim";
import { createBenchDatabase } from "./lib/bench-database";
import { setMode } from "./lib/executor-harness";
import { startWorker } from "./lib/processes";
import { size, sleep, waitFor } from "./lib/quick";
import { reportRow } from "./lib/report";
import { createDb } from "../src/server/db/client";
import { BINANCE_WEIGHT_LIMIT_1M } from "../sim/server/weight-limiter";

const WINDOW_S = size("BENCH_WEIGHT_WINDOW_S", 120, 30);
const WARMUP_S = size("BENCH_WEIGHT_WARMUP_S", 20, 10);
const RUNS = (process.env.BENCH_WEIGHT_SYMBOLS ?? "20,50").split(",").map(Number).filter((n) => n > 0);

async function run(symbols: number): Promise<void> {
  const bench = await createBenchDatabase(`weight${symbols}`);
  const sim = await startBenchSim({ symbols, speed: 60 });
  const db = createDb(bench.url, { max: 2 });
  const worker = startWorker(bench.url, sim.url);
  try {
    await setMode(db, "SHADOW");
    openPositions(sim, benchSymbols(symbols));
    await waitFor(async () => (await db.workerHeartbeat.findFirst({ select: { beatAt: true } })) ?? null, `worker heartbeat (${worker.tail()})`, 120_000, 250);
    await sleep(WARMUP_S * 1000);
    for (const mode of ["demand", "enforced"] as const) {
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
      const share = perMin / BINANCE_WEIGHT_LIMIT_1M;
      const top = Object.entries(s.weightByEndpoint).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round(v / minutes)}`).join(", ");
      const refused = `${s.answered429}×429, ${s.answered418}×418`;
      console.log(`request weight (${mode}), ${symbols} positions on ${symbols} symbols, over ${(minutes * 60).toFixed(0)} s: ${Math.round(perMin)}/min accepted (${(share * 100).toFixed(0)}% of ${BINANCE_WEIGHT_LIMIT_1M}); ${s.requests} requests, ${refused}`);
      console.log(`  accepted weight a minute by endpoint: ${top}`);
      reportRow({
        bench: "request-weight",
        figure: mode === "demand"
          ? `worker request weight a minute, ${symbols} positions on ${symbols} symbols (demand, no limit)`
          : `same with Binance's 2,400 limit enforced (429, then 418 ban)`,
        value: mode === "demand" ? `${Math.round(perMin)}/min (${(share * 100).toFixed(0)}%)` : `${Math.round(perMin)}/min accepted, ${refused}`,
        target: `< 20% of ${BINANCE_WEIGHT_LIMIT_1M} (issue 14)`, baseline: `limit ${BINANCE_WEIGHT_LIMIT_1M}/min`, ratio: `${share.toFixed(2)}x`,
        met: share < 0.2 && s.answered429 + s.answered418 === 0,
      });
    }
  } finally {
    await worker.stop();
    await db.$disconnect();
    await sim.close();
    await bench.drop();
  }
}

for (const n of RUNS) await run(n);
