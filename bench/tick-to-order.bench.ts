// Issue 9 item 2: tick to order. A LIVE position with a known state (the executor has placed
// its initial stop); the simulator's price jumps (POST /admin/price) past the breakeven trigger
// (0.8 R); measured from the simulator starting to move the price (in-process: same clock) until
// it accepts the executor's new STOP_MARKET (engine event); the bench's admin HTTP request that
// asks for the move is before t0 (shown separately). Phases on one worker harness, each on its own positions:
//   A. price stream, as shipped (leading-edge debounce 200 ms; ccxt throttle off for the simulator)
//      <- target p99 < 100 ms
//   B. price stream, debounce 0            C. price stream with ccxt's throttle ON (Binance's setting)
//   D. baseline: the runbook's polling loop (every 10 s: REST refresh of positions and orders,
//      evaluate every position; ticks do not reach the executor), measured the same way.
// Where the time goes, per sample: tick -> the worker's PriceStream has the new price (WS), and
// stream -> order accepted (evaluation, gateway with its PostgreSQL writes, look-up + send).
import { benchSymbols, openPositions, startBenchSim, watchAccepted, type AcceptedOrder } from "./lib/bench-sim";
import { createBenchDatabase } from "./lib/bench-database";
import { startHarness, type Harness } from "./lib/executor-harness";
import { size, sleep, waitFor } from "./lib/quick";
import { ms, reportRow } from "./lib/report";
import { fmt, nowMs, summarize, type Summary } from "./lib/stats";
import type { RunningSimulator } from "../sim/server/start-simulator";

const KA = size("BENCH_TICK_SAMPLES", 60, 12);
const K = size("BENCH_TICK_SAMPLES_BC", 20, 6);
const P = size("BENCH_POLL_SAMPLES", 8, 3);
const POLL_S = 10;
const DEBOUNCE_MS = 200; // EXIT_BRAIN_PRICE_DEBOUNCE_MS default
const symbols = benchSymbols(KA + 2 * K + P);
const sets = { A: symbols.slice(0, KA), B: symbols.slice(KA, KA + K), C: symbols.slice(KA + K, KA + 2 * K), D: symbols.slice(KA + 2 * K) };

const bench = await createBenchDatabase("tick");
const sim = await startBenchSim({ symbols: symbols.length });
const accepted: AcceptedOrder[] = [];
const unwatch = watchAccepted(sim, (o) => accepted.push(o));
let h: Harness | null = null;
/** wall time at which the worker's PriceStream delivered each price, per symbol */
const streamed = new Map<string, { price: number; at: number }[]>();

const stopsOf = (symbol: string, after = 0) => accepted.filter((o) => o.symbol === symbol && o.type === "STOP_MARKET" && o.wallMs > after);

// t0: the moment the simulator starts moving the price (before its engine and its WS push).
let lastSimTick = 0;
const setPrice = sim.sim.setPrice.bind(sim.sim);
sim.sim.setPrice = (symbol: string, price: number) => {
  lastSimTick = nowMs();
  setPrice(symbol, price);
};
const offTick = () => void (sim.sim.setPrice = setPrice);

/** Moves the price; t0 = the simulator's tick (the move), http = the admin request before it. */
async function jump(s: RunningSimulator, symbol: string): Promise<{ t0: number; http: number; price: number }> {
  const entry = s.sim.engine.book.get(symbol)!.entryPrice;
  const stop = stopsOf(symbol).at(-1)!.triggerPrice!;
  const price = entry + 0.8 * (entry - stop); // longs: past breakeven (0.5 R), short of trailing (1.58 R)
  const sent = nowMs();
  const res = await fetch(`${s.url}/admin/price`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ symbol, price }) });
  if (!res.ok) throw new Error(`admin/price ${symbol}: ${res.status} ${await res.text()}`);
  const moved = ((await res.json()) as { price: number }).price;
  return { t0: lastSimTick, http: lastSimTick - sent, price: moved };
}

interface Phase {
  s: Summary;
  /** tick -> the PriceStream has the price */
  ws: Summary;
  /** PriceStream -> order accepted */
  rest: Summary;
  /** the bench's admin request until the simulator's tick (not part of the figure) */
  http: Summary;
  missed: number;
  n: number;
}

/** A sample whose tick never produces an order within 3 s counts as missed (and is shown). */
async function tickPhase(label: string, set: string[]): Promise<Phase> {
  const out: number[] = [];
  const ws: number[] = [];
  const rest: number[] = [];
  const http: number[] = [];
  let missed = 0;
  for (const symbol of set) {
    const { t0, price, http: h0 } = await jump(sim, symbol);
    http.push(h0);
    const o = await waitFor(() => stopsOf(symbol, t0)[0], "order", 3000, 1).catch(() => null);
    const seen = streamed.get(symbol)?.find((x) => x.at >= t0 && x.price === price);
    if (o) {
      out.push(o.wallMs - t0);
      if (seen) {
        ws.push(seen.at - t0);
        rest.push(o.wallMs - seen.at);
      }
    } else {
      missed++;
      console.log(`  ${label}: no order for ${symbol} within 3 s; price stream has ${h?.prices?.latest(symbol)?.price === price ? "the new" : "NOT the new"} price for it; executor ${JSON.stringify(h?.executor.info())}`);
    }
    await sleep(50);
  }
  const p: Phase = { s: summarize(out), ws: summarize(ws), rest: summarize(rest), http: summarize(http), missed, n: set.length };
  console.log(`tick -> order accepted, ${label.padEnd(46)} ${fmt(p.s)}; missed ${missed}/${set.length}`);
  console.log(`   where: tick -> PriceStream ${fmt(p.ws)};  PriceStream -> order accepted ${fmt(p.rest)}`);
  console.log(`   (before t0: the bench's POST /admin/price until the simulator's tick ${fmt(p.http)})`);
  const slowest = out.map((v, i) => ({ v, i })).sort((x, y) => y.v - x.v).slice(0, 3);
  console.log(`   slowest samples (index in the phase): ${slowest.map((x) => `#${x.i} ${ms(x.v)}`).join(", ")}`);
  return p;
}

const show = (p: Phase) =>
  p.s.n === 0 ? `none of ${p.n} ticks led to an order` : `${ms(p.s.p99)} (p50 ${ms(p.s.p50)}, n=${p.s.n}${p.missed ? `, ${p.missed}/${p.n} missed` : ""})`;

try {
  openPositions(sim, symbols);
  h = await startHarness({ dbUrl: bench.url, simUrl: sim.url, mode: "LIVE", priceStream: true, intervalS: 3600, debounceMs: DEBOUNCE_MS });
  h.prices?.onTicks((ticks) => {
    const at = nowMs();
    for (const t of ticks) {
      const list = streamed.get(t.symbol) ?? [];
      list.push({ price: t.price, at });
      streamed.set(t.symbol, list);
    }
  });
  const t = nowMs();
  await waitFor(() => (symbols.every((s) => stopsOf(s).length > 0) ? true : null), "initial stops on every position", 120_000, 20);
  console.log(`take-over: initial stops on ${symbols.length} positions after ${ms(nowMs() - t)}`);
  await sleep(500);
  const a = await tickPhase(`A: stream, shipped (leading ${DEBOUNCE_MS} ms)`, sets.A);
  h.config.debounceMs = 0;
  const b = await tickPhase("B: stream, debounce 0", sets.B);
  h.config.debounceMs = DEBOUNCE_MS;
  h.setRateLimit(true);
  const c = await tickPhase("C: stream, ccxt throttle ON (Binance setting)", sets.C);
  h.setRateLimit(false);

  // D: the runbook's loop. Ticks do not reach the executor; every 10 s: REST refresh + evaluate all.
  h.setTicksToExecutor(false);
  let polling = true;
  const cycles: number[] = [];
  const loop = (async () => {
    while (polling) {
      const c0 = nowMs();
      await h!.snapshot.refresh();
      await h!.executor.cycleNow();
      cycles.push(nowMs() - c0);
      await sleep(POLL_S * 1000);
    }
  })();
  await sleep(1000);
  const starts = await Promise.all(sets.D.map(async (symbol, i) => {
    await sleep(((i + 0.5) / sets.D.length) * POLL_S * 1000); // spread over one polling period
    return { symbol, t0: (await jump(sim, symbol)).t0 };
  }));
  const d: number[] = [];
  for (const { symbol, t0 } of starts) d.push((await waitFor(() => stopsOf(symbol, t0)[0], `polling: new stop on ${symbol}`, 3 * POLL_S * 1000, 20)).wallMs - t0);
  polling = false;
  const poll = summarize(d);
  console.log(`tick -> order accepted, ${"D: 10 s polling loop (runbook)".padEnd(46)} ${fmt(poll)}  (expected: uniform wait, mean ~${POLL_S / 2} s + cycle)`);
  console.log(`   polling cycle (REST refresh + evaluate ${symbols.length} positions): ${fmt(summarize(cycles))}`);
  await loop;

  /** measured / baseline, readable when tiny: "0.0035x (290x faster)" */
  const vsPoll = (v: number) => (v > 0 && poll.p99 > 0 ? `${(v / poll.p99).toPrecision(2)}x (${(poll.p99 / v).toFixed(0)}x faster)` : "-");
  const met = (p: Phase) => p.missed === 0 && p.s.n > 0 && p.s.p99 < 100;
  const base = `10 s polling p99 ${ms(poll.p99)}`;
  reportRow({ bench: "tick-to-order", figure: `tick -> order p99, price stream, as shipped (leading-edge debounce ${DEBOUNCE_MS} ms)`, value: show(a), target: "< 100 ms", baseline: base, ratio: vsPoll(a.s.p99), met: met(a) });
  reportRow({ bench: "tick-to-order", figure: "tick -> PriceStream p99 / PriceStream -> order accepted p99 (shipped)", value: `${ms(a.ws.p99)} / ${ms(a.rest.p99)}`, target: "-", baseline: "-", ratio: "-", met: null });
  reportRow({ bench: "tick-to-order", figure: "tick -> order p99, price stream, debounce 0", value: show(b), target: "< 100 ms", baseline: base, ratio: vsPoll(b.s.p99), met: met(b) });
  reportRow({ bench: "tick-to-order", figure: "tick -> order p99, price stream, ccxt throttle ON (Binance setting)", value: show(c), target: "< 100 ms", baseline: base, ratio: vsPoll(c.s.p99), met: met(c) });
  reportRow({ bench: "tick-to-order", figure: "tick -> order p50, 10 s polling loop (baseline)", value: ms(poll.p50), target: "-", baseline: "-", ratio: "-", met: null });
} finally {
  offTick();
  unwatch();
  await h?.stop();
  await sim.close();
  await bench.drop();
}
