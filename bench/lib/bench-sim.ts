// An in-process exchange simulator for benchmarks: a seeded random walk over as many symbols as
// needed (the simulator nets positions per symbol, so N positions need N symbols), no demo
// trader, the worker's default key pair. Speed 0 = prices move only when the bench says so.
import { startSimulator, type RunningSimulator } from "../../sim/server/start-simulator";
import type { EngineEvent } from "../../sim/engine/order-types";
import { nowMs } from "./stats";

export const BENCH_SIM_CREDENTIALS = { apiKey: "sim-api-key", apiSecret: "sim-api-secret" };

/** Symbols like B0001USDT: upper case, ending in USDT (random walk starts them at 100). */
export function benchSymbols(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `B${String(i + 1).padStart(4, "0")}USDT`);
}

export async function startBenchSim(opts: { symbols: number; port?: number; speed?: number }): Promise<RunningSimulator> {
  return startSimulator({
    port: opts.port ?? 0,
    credentials: BENCH_SIM_CREDENTIALS,
    speed: opts.speed ?? 0,
    demoTrader: false,
    seed: 1,
    randomWalk: { symbols: benchSymbols(opts.symbols), intervalMs: 5 * 60_000 },
  });
}

/** Opens one position per symbol straight in the engine (what POST /admin/position/open does). */
export function openPositions(sim: RunningSimulator, symbols: string[], side: "long" | "short" = "long"): void {
  for (const symbol of symbols) {
    const price = sim.sim.feed.price(symbol);
    // ~20 USDT notional at 10x: 1,000 positions need ~2,000 USDT of the 10,000 USDT wallet.
    const spec = sim.sim.specs.get(symbol)!;
    const qty = Number((Math.ceil(20 / price / spec.stepSize) * spec.stepSize).toFixed(8));
    sim.sim.engine.setLeverage(symbol, 10);
    sim.sim.engine.submit({ symbol, side: side === "long" ? "BUY" : "SELL", type: "MARKET", quantity: qty, source: "admin" });
  }
}

export interface AcceptedOrder {
  wallMs: number;
  symbol: string;
  type: string;
  clientId: string;
  triggerPrice: number | null;
}

/** Wall-clock time of every order the engine accepts (plain NEW or algo NEW), by listener. */
export function watchAccepted(sim: RunningSimulator, on: (o: AcceptedOrder) => void): () => void {
  return sim.sim.engine.onEvent((e: EngineEvent) => {
    const t = nowMs();
    if (e.kind === "order" && e.execType === "NEW") on({ wallMs: t, symbol: e.order.symbol, type: e.order.type, clientId: e.order.clientOrderId, triggerPrice: null });
    if (e.kind === "algo" && e.algo.algoStatus === "NEW") on({ wallMs: t, symbol: e.algo.symbol, type: e.algo.orderType, clientId: e.algo.clientAlgoId, triggerPrice: e.algo.triggerPrice });
  });
}
