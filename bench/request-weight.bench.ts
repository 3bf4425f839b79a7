// Issue 14: the worker's request weight a minute on Binance's IP limit (2,400), measured by the
// simulator's accounting of Binance's documented weight per endpoint (sim/api/request-weights.ts).
// A real worker process, default settings, SHADOW (the legacy modules place and look up exit
// orders), after a warm-up, in the same run:
//   poll   — the baseline: ACCOUNT_STREAM=false, the account read over REST every 2 s;
//   stream — the default: positions and orders from the user-data stream, candles from the kline
//            stream, a full REST read once a minute;
// each first with the simulator only counting (demand: what the worker asks for), then the stream
// for as many minutes again with Binance's settings enforced (past 2,400 in a wall-clock minute 429, and 418 — an IP ban,
// 2 minutes — after 3 429s in a row).
// One-way accounts hold one position per symbol, so "positions on symbols" is N on N; the
// account-wide calls (open orders, open algo orders, positions) do not grow with N. Prices walk at
// 60x and stops fire: every 5 s the bench opens again the positions that closed, so about N stay
// open all along and the worker keeps placing stops for new positions (the churn that used to cost
// a full REST read after each legacy send).
// BENCH_WEIGHT_WINDOW_S sets each window (60 s; --quick 30 s), BENCH_WEIGHT_MINUTES how many
// consecutive windows per mode (3; --quick 1), BENCH_WEIGHT_SYMBOLS the sizes (20,50).
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
/** consecutive windows measured per mode (issue 14: under 20% in *every* minute, not on average) */
const WINDOWS = size("BENCH_WEIGHT_MINUTES", 3, 1);
const RUNS = (process.env.BENCH_WEIGHT_SYMBOLS ?? "20,50").split(",").map(Number).filter((n) => n > 0);

type Source = "poll" | "stream";
type Mode = "demand" | "enforced";

interface Window {
  perMin: number;
  /** positions open at the window's end */
  open: number;
  /** positions closed by their stops and opened again during the window (churn) */
  reopened: number;
  answered429: number;
  answered418: number;
  top: string;
}

/** One worker on a fresh simulator and database; returns the accepted weight a minute of each consecutive window per mode. */
async function run(symbols: number, source: Source, plan: Record<Mode, number>): Promise<Record<Mode, Window[]>> {
  const bench = await createBenchDatabase(`weight${source}${symbols}`);
  const sim = await startBenchSim({ symbols, speed: 60 });
  sim.weights.configure({}); // count only until the enforced windows
  const db = createDb(bench.url, { max: 2 });
  // The worker inherits this process's environment (bench/lib/processes.ts).
  process.env.ACCOUNT_STREAM = source === "stream" ? "true" : "false";
  const worker = startWorker(bench.url, sim.url);
  const out: Record<Mode, Window[]> = { demand: [], enforced: [] };
  try {
    await setMode(db, "SHADOW");
    const all = benchSymbols(symbols);
    openPositions(sim, all);
    await waitFor(async () => (await db.workerHeartbeat.findFirst({ select: { beatAt: true } })) ?? null, `worker heartbeat (${worker.tail()})`, 120_000, 250);
    await sleep(WARMUP_S * 1000);
    for (const mode of ["demand", "enforced"] as const) {
      if (mode === "enforced" && plan.enforced > 0) sim.weights.configure({ limit: BINANCE_WEIGHT_LIMIT_1M, banAfter429s: 3, banMs: 120_000 });
      for (let w = 1; w <= plan[mode]; w++) {
        sim.weights.resetStats();
        const t0 = Date.now();
        let reopened = 0;
        let lastReopen = 0;
        while (Date.now() - t0 < WINDOW_S * 1000) {
          if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.tail()}`);
          // Prices walk at 60x and stops fire: positions closed are opened again every 5 s, so the
          // worker holds about N positions all along (and places their stops again: the churn that
          // made the post-send reads).
          if (Date.now() - lastReopen >= 5000) {
            lastReopen = Date.now();
            const closed = all.filter((symbol) => sim.sim.engine.book.amt(symbol) === 0);
            openPositions(sim, closed);
            reopened += closed.length;
          }
          await sleep(1000);
        }
        const s = sim.weights.stats();
        const minutes = (Date.now() - s.since) / 60_000;
        const total = Object.values(s.weightByEndpoint).reduce((a, b) => a + b, 0);
        const perMin = total / minutes;
        const top = Object.entries(s.weightByEndpoint).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k.replace(/^GET \/fapi\/v\d\//, "")} ${Math.round(v / minutes)}`).join(", ");
        const open = sim.sim.engine.book.all().filter((p) => p.amt !== 0).length;
        out[mode].push({ perMin, open, reopened, answered429: s.answered429, answered418: s.answered418, top });
        console.log(`request weight (${source}, ${mode}, window ${w}/${plan[mode]}), ${symbols} positions on ${symbols} symbols (${reopened} reopened in the window, ${open} open at its end), over ${(minutes * 60).toFixed(0)} s: ${Math.round(perMin)}/min accepted (${((perMin / BINANCE_WEIGHT_LIMIT_1M) * 100).toFixed(1)}% of ${BINANCE_WEIGHT_LIMIT_1M}); ${s.requests} requests, ${s.answered429}×429, ${s.answered418}×418`);
        console.log(`  accepted weight a minute by endpoint: ${top}`);
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

const pct = (w: Window): string => `${Math.round(w.perMin)} (${((w.perMin / BINANCE_WEIGHT_LIMIT_1M) * 100).toFixed(1)}%, ${w.reopened} reopened)`;
const worst = (ws: Window[]): number => Math.max(...ws.map((w) => w.perMin));

for (const n of RUNS) {
  const poll = await run(n, "poll", { demand: 1, enforced: 0 });
  const stream = await run(n, "stream", { demand: WINDOWS, enforced: WINDOWS });
  const base = poll.demand[0]!.perMin;
  const all = [...stream.demand, ...stream.enforced];
  const top = worst(all);
  console.log(`request weight, ${n} positions on ${n} symbols: stream worst minute ${Math.round(top)}/min vs polling ${Math.round(base)}/min (${(top / base).toFixed(3)}x)`);
  reportRow({
    bench: "request-weight",
    figure: `worker request weight, each of ${all.length} consecutive minutes, ${n} positions on ${n} symbols (user-data stream; ${stream.enforced.length} last with Binance's limit enforced)`,
    value: `${all.map(pct).join(", ")} /min`,
    target: `< 20% of ${BINANCE_WEIGHT_LIMIT_1M} in every minute (issue 14)`,
    baseline: `polling every 2 s, same run: ${Math.round(base)}/min (${((base / BINANCE_WEIGHT_LIMIT_1M) * 100).toFixed(0)}%)`,
    ratio: `${(top / base).toFixed(3)}x (worst minute)`,
    met: top / BINANCE_WEIGHT_LIMIT_1M < 0.2,
  });
  const refused = stream.enforced.reduce((a, w) => a + w.answered429 + w.answered418, 0);
  reportRow({
    bench: "request-weight",
    figure: `same, Binance's 2,400 limit enforced (429, then 418 ban), ${n} positions`,
    value: `${refused} refusals (429/418) in ${stream.enforced.length} minutes`,
    target: "no 429/418", baseline: `limit ${BINANCE_WEIGHT_LIMIT_1M}/min`, ratio: "-",
    met: refused === 0,
  });
}
