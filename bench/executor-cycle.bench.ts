// Issue 9 item 3b: one executor cycle over 1,000 open positions against the simulator, under
// 1 s. The simulator nets per symbol, so it runs a random walk over 1,000 symbols with one
// position each. Measured: the cold cycle (candles fetched for every symbol), warm SHADOW cycles
// (account refresh + evaluate + record), and the LIVE take-over cycle (every position gets its
// stop and take-profit through the gateway). Baseline in the same run: the account refresh
// alone (positions + open orders over ccxt), the floor of any cycle.
// ccxt's client-side throttle (binanceusdm request weights, 50 ms per weight unit) is OFF for the
// simulator in the product (EXCHANGE=sim has no limit) and ON for Binance: the cycle is measured
// as shipped for the simulator (off), and the throttled account refresh is measured as the floor
// of a cycle with Binance's setting.
import { benchSymbols, openPositions, startBenchSim } from "./lib/bench-sim";
import { createBenchDatabase } from "./lib/bench-database";
import { setMode, simExchange, startHarness } from "./lib/executor-harness";
import { size } from "./lib/quick";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";

const N = size("BENCH_POSITIONS", 1000, 200);
const CYCLES = size("BENCH_CYCLES", 10, 3);
const bench = await createBenchDatabase("cycle");
const sim = await startBenchSim({ symbols: N });
try {
  const h = await startHarness({ dbUrl: bench.url, simUrl: sim.url, mode: "SHADOW", priceStream: false, intervalS: 3600, debounceMs: 200 });
  await h.executor.cycleNow(); // the empty first cycle
  openPositions(sim, benchSymbols(N));
  const refreshOnly: number[] = [];
  const cycle = async (): Promise<number> => {
    const t = nowMs();
    await h.snapshot.refresh();
    await h.executor.cycleNow();
    return nowMs() - t;
  };
  const cold = await cycle();
  const warm: number[] = [];
  for (let i = 0; i < CYCLES; i++) {
    let t = nowMs();
    await h.snapshot.refresh();
    refreshOnly.push(nowMs() - t);
    t = nowMs();
    warm.push(await cycle());
  }
  const positions = h.snapshot.latest()?.positions.length ?? 0;
  const info = h.executor.info();
  console.log(`positions seen by the executor: ${positions} (opened ${N}); evaluations ${info.evaluations}, errors ${info.errors}`);
  console.log(`cold cycle (fetch candles for every symbol):   ${ms(cold)}`);
  const w = summarize(warm);
  const r = summarize(refreshOnly);
  console.log(`warm SHADOW cycle (refresh + evaluate + record): ${fmt(w)}`);
  console.log(`baseline: account refresh only:                  ${fmt(r)}`);

  // LIVE take-over: every position gets its protective orders through the gateway in one cycle.
  await setMode(h.db, "LIVE");
  await new Promise((res) => setTimeout(res, 300)); // the watcher sees the change by NOTIFY
  const live = await cycle();
  const placed = h.executor.info().orders_placed;
  console.log(`LIVE take-over cycle: ${ms(live)}, orders placed ${placed} (${(placed / (live / 1000)).toFixed(0)} orders/s through the gateway)`);
  const liveWarm = await cycle();
  console.log(`LIVE steady cycle after take-over: ${ms(liveWarm)}`);
  await setMode(h.db, "SHADOW");
  await h.stop();

  // Binance's setting: the same refresh through ccxt's throttle (fetchOpenOrders for all symbols
  // costs weight 40, twice: plain + conditional), which is the floor of every throttled cycle.
  const throttled = await simExchange(sim.url, true);
  await throttled.loadMarkets();
  const thr: number[] = [];
  for (let i = 0; i < size("BENCH_THROTTLED", 3, 2); i++) {
    const t = nowMs();
    await Promise.all([throttled.fetchPositions(), throttled.fetchOpenOrders()]);
    thr.push(nowMs() - t);
  }
  await throttled.close().catch(() => {});
  const th = summarize(thr);
  console.log(`account refresh with ccxt's rate limiter on (Binance's setting): ${fmt(th)}`);

  const label = `${positions.toLocaleString("en-US")} positions`;
  reportRow({ bench: "executor-cycle", figure: `executor cycle, ${label}, SHADOW warm p99 (as shipped for sim: throttle off)`, value: ms(w.p99), target: "< 1000 ms", baseline: `refresh ${ms(r.p99)}`, ratio: ratio(w.p99, r.p99), met: positions >= 1000 ? w.p99 < 1000 : null });
  reportRow({ bench: "executor-cycle", figure: "account refresh, ccxt throttle ON (Binance setting; off for sim)", value: ms(th.p50), target: "< 1000 ms", baseline: `throttle off ${ms(r.p50)}`, ratio: ratio(th.p50, r.p50), met: th.p50 < 1000 });
  reportRow({ bench: "executor-cycle", figure: `executor cycle, ${label}, cold (candles)`, value: ms(cold), target: "-", baseline: `refresh ${ms(r.p50)}`, ratio: ratio(cold, r.p50), met: null });
  reportRow({ bench: "executor-cycle", figure: `executor cycle, ${label}, LIVE take-over (${placed} orders)`, value: ms(live), target: "-", baseline: `refresh ${ms(r.p50)}`, ratio: ratio(live, r.p50), met: null });
  reportRow({ bench: "executor-cycle", figure: `executor cycle, ${label}, LIVE steady`, value: ms(liveWarm), target: "< 1000 ms", baseline: `refresh ${ms(r.p50)}`, ratio: ratio(liveWarm, r.p50), met: positions >= 1000 ? liveWarm < 1000 : null });
} finally {
  await sim.close();
  await bench.drop();
}
