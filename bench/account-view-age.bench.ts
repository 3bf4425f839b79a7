// Issue 14: how old is the worker's view of positions and orders? Age = from the simulator's
// change (a stop placed or cancelled, a position grown or shrunk) to the moment the worker's
// account snapshot (ExchangeSnapshot.latest(), what the executor and the legacy modules read)
// reflects it. Binance's settings: ccxt's throttle on, the simulator's request weights.
// Two views of the same account watch the same changes in the same run, each through its own ccxt
// clients (so neither waits in the other's throttle queue):
//   poll   — the baseline: REST every ACCOUNT_REFRESH_MS (2 s) as the account cycle did
//            (positionRisk + openOrders + openAlgoOrders, ~85 weight, ~4 s under the throttle);
//   stream — the worker's default: the user-data stream (worker/account/start-account-source.ts).
// The simulator only counts weight here (request-weight.bench.ts measures the limit); the polling
// baseline alone asks for more than Binance's 2,400 a minute.
// BENCH_AGE_CHANGES (80; --quick 24) changes, one every BENCH_AGE_EVERY_MS (400), on N symbols
// (BENCH_AGE_SYMBOLS, 20) holding one position each.
import { benchSymbols, BENCH_SIM_CREDENTIALS, openPositions, startBenchSim } from "./lib/bench-sim";
import { size, sleep, waitFor } from "./lib/quick";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";
import { createLogger } from "../src/server/logger";
import type { AlgoOrder } from "../sim/engine/order-types";
import { createExchange } from "../worker/exchange/create-exchange";
import type { ExchangePort } from "../worker/exchange/exchange-port";
import { requestWeightOf } from "../worker/exchange/request-weight";
import type { ExchangeSnapshot } from "../worker/account/exchange-snapshot";
import { startAccountSource, type AccountSource } from "../worker/account/start-account-source";

const CHANGES = size("BENCH_AGE_CHANGES", 80, 24);
const EVERY_MS = size("BENCH_AGE_EVERY_MS", 400, 400);
const SYMBOLS = size("BENCH_AGE_SYMBOLS", 20, 20);
const REFRESH_MS = 2000; // ACCOUNT_REFRESH_MS's default
const TARGET_MS = 1000;

type Check = (snap: NonNullable<ReturnType<ExchangeSnapshot["latest"]>>) => boolean;

const log = createLogger({ name: "bench-age", level: "error", file: null });
const sim = await startBenchSim({ symbols: SYMBOLS, speed: 0 });
sim.weights.configure({}); // count only
const symbols = benchSymbols(SYMBOLS);
openPositions(sim, symbols);

const env = {
  EXCHANGE: "sim", SIM_URL: sim.url, SIM_PORT: sim.port, SIM_API_KEY: BENCH_SIM_CREDENTIALS.apiKey, SIM_API_SECRET: BENCH_SIM_CREDENTIALS.apiSecret,
  BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined,
  ACCOUNT_STREAM_GAP_MS: 5000, ACCOUNT_FULL_REFRESH_S: 60, REQUEST_WEIGHT_LIMIT_1M: 1_000_000, REQUEST_WEIGHT_BACKOFF_PCT: 100,
} as const;
// Throttle on, as for Binance (createCcxtClient leaves it off for the simulator).
const pollPort: ExchangePort = await createExchange(env, { throttleReads: true });
const streamPort: ExchangePort = await createExchange(env, { throttleReads: true });
await Promise.all([pollPort.loadMarkets(), streamPort.loadMarkets()]);
const sources: Record<"poll" | "stream", AccountSource> = {
  poll: await startAccountSource({ config: { ...env, ACCOUNT_STREAM: false }, exchange: pollPort, prices: null, log }),
  stream: await startAccountSource({ config: { ...env, ACCOUNT_STREAM: true }, exchange: streamPort, prices: null, log }),
};
// Both share the simulator's one key: the worker's own weight hold would stall the baseline.
requestWeightOf("sim", BENCH_SIM_CREDENTIALS.apiKey).configure(1_000_000, 100);
// The account cycle's loop, for the polling baseline (never overlapping).
let polling = true;
const pollLoop = (async () => {
  while (polling) {
    const t = Date.now();
    await sources.poll.snapshot.refresh();
    await sleep(Math.max(0, REFRESH_MS - (Date.now() - t)));
  }
})();
await waitFor(() => sources.stream.stream?.confirmation().confirmed || null, "the stream view to be confirmed", 30_000, 50);
await waitFor(() => (sources.poll.snapshot.latest()?.positions.length === SYMBOLS ? true : null), "the polled view", 30_000, 50);
await waitFor(() => (sources.stream.snapshot.latest()?.positions.length === SYMBOLS ? true : null), "the streamed view", 30_000, 50);

const ages: Record<"poll" | "stream", number[]> = { poll: [], stream: [] };
const pending: { check: Check; at: number; seen: Set<"poll" | "stream"> }[] = [];
// Observe every view every 2 ms: when a change shows in it, its age is recorded.
const observer = setInterval(() => {
  const t = nowMs();
  for (const p of pending) {
    for (const name of ["poll", "stream"] as const) {
      if (p.seen.has(name)) continue;
      const snap = sources[name].snapshot.latest();
      if (snap && p.check(snap)) {
        p.seen.add(name);
        ages[name].push(t - p.at);
      }
    }
  }
  for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.seen.size === 2) pending.splice(i, 1);
}, 2);

const stops = new Map<string, AlgoOrder>();
const onTick = (symbol: string, price: number): number => {
  const tick = sim.sim.specs.get(symbol)!.tickSize;
  return Number((Math.round(price / tick) * tick).toFixed(8));
};
const sizeOf = (symbol: string) => sim.sim.engine.book.all().find((p) => p.symbol === symbol)?.amt ?? 0;
for (let i = 0; i < CHANGES; i++) {
  const symbol = symbols[i % SYMBOLS]!;
  const round = Math.floor(i / SYMBOLS) % 3; // per symbol: place a stop, cancel it, grow the position
  let check: Check;
  if (round === 0) {
    const clientId = `age-${i}`;
    const stop = sim.sim.engine.submit({
      symbol, side: "SELL", type: "STOP_MARKET", triggerPrice: onTick(symbol, sim.sim.feed.price(symbol) * 0.8), closePosition: true, clientOrderId: clientId, source: "admin",
    }) as AlgoOrder;
    stops.set(symbol, stop);
    check = (s) => s.openOrders.some((o) => o.clientOrderId === clientId);
  } else if (round === 1) {
    const stop = stops.get(symbol)!;
    sim.sim.engine.cancelAlgo(symbol, { algoId: stop.algoId });
    check = (s) => !s.openOrders.some((o) => o.clientOrderId === stop.clientAlgoId);
  } else {
    const before = sizeOf(symbol);
    sim.sim.engine.submit({ symbol, side: "BUY", type: "MARKET", quantity: before, source: "admin" });
    const after = sizeOf(symbol);
    check = (s) => s.positions.some((p) => p.symbol === symbol && Math.abs(p.size - after) < 1e-9);
  }
  pending.push({ check, at: nowMs(), seen: new Set() });
  await sleep(EVERY_MS);
}
await waitFor(() => (pending.length === 0 ? true : null), "every change in both views", 60_000, 20);
clearInterval(observer);
polling = false;
await pollLoop;

const poll = summarize(ages.poll);
const stream = summarize(ages.stream);
const weight = sim.weights.stats();
console.log(`account view age, ${SYMBOLS} positions on ${SYMBOLS} symbols, ${CHANGES} changes, throttle on:`);
console.log(`  poll (REST every ${REFRESH_MS} ms): ${fmt(poll)}`);
console.log(`  stream (user-data stream):     ${fmt(stream)}`);
console.log(`  p99 ratio stream/poll ${ratio(stream.p99, poll.p99)}; simulator weight by endpoint over the run: ${JSON.stringify(weight.weightByEndpoint)}`);
reportRow({
  bench: "account-view-age",
  figure: `p99 age of the worker's view of positions and orders (${SYMBOLS} positions, throttle on)`,
  value: `${ms(stream.p99)} (p50 ${ms(stream.p50)})`,
  target: `< ${TARGET_MS} ms (issue 14)`,
  baseline: `polling every ${REFRESH_MS} ms, same run: p99 ${ms(poll.p99)} (p50 ${ms(poll.p50)})`,
  ratio: ratio(stream.p99, poll.p99),
  met: stream.p99 < TARGET_MS,
});
await sources.poll.stop();
await sources.stream.stop();
await pollPort.close();
await streamPort.close();
await sim.close();
process.exit(0);
