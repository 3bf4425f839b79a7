import { describe, expect, it } from "vitest";
import { marketSpecFor } from "./market-spec";
import { MatchingEngine, MAX_NUM_ALGO_ORDERS } from "./matching-engine";
import type { AlgoOrder, AlgoStatus, EngineEvent, PlainOrder } from "./order-types";
import { SimClock } from "./sim-clock";
import { SimApiError } from "./sim-error";

function setup() {
  const clock = new SimClock(1_000_000);
  const prices = new Map([["BTCUSDT", 50_000]]);
  const specs = new Map([["BTCUSDT", marketSpecFor("BTCUSDT", 50_000)]]);
  const engine = new MatchingEngine(clock, specs, (s) => prices.get(s)!, {
    slippageBps: 0, takerFeeRate: 0.0004, makerFeeRate: 0.0002, startingBalance: 1_000_000, defaultLeverage: 10,
  });
  const events: EngineEvent[] = [];
  // events carry the live order object: keep each algo state as it was when emitted
  const statusLog: [number, AlgoStatus][] = [];
  engine.onEvent((e) => {
    events.push(e);
    if (e.kind === "algo") statusLog.push([e.algo.algoId, e.algo.algoStatus]);
  });
  const move = (price: number) => {
    prices.set("BTCUSDT", price);
    engine.onPricePath("BTCUSDT", [price]);
  };
  engine.onPricePath("BTCUSDT", [50_000]);
  engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 1, source: "api" });
  const stop = (quantity = 1) =>
    engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_000, quantity, reduceOnly: true, source: "api" }) as AlgoOrder;
  const algoStates = (a: AlgoOrder): AlgoStatus[] => statusLog.filter(([id]) => id === a.algoId).map(([, st]) => st);
  return { clock, engine, events, move, stop, algoStates };
}

function codeOf(fn: () => unknown): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof SimApiError) return err.code;
    throw err;
  }
}

describe("algo lifecycle (Binance's states, one ALGO_UPDATE per state)", () => {
  it("NEW → TRIGGERING → TRIGGERED → FINISHED with the executed quantity and price of its order", () => {
    const { engine, move, stop, algoStates } = setup();
    const s = stop();
    move(48_900); // crossed between two samples: fills at the trigger
    expect(algoStates(s)).toEqual(["NEW", "TRIGGERING", "TRIGGERED", "FINISHED"]);
    expect(s).toMatchObject({ algoStatus: "FINISHED", executedQty: 1, avgPrice: 49_000 });
    expect(s.actualOrderId).not.toBeNull();
    expect(engine.book.amt("BTCUSDT")).toBe(0);
  });

  it("a hold fault keeps the trigger in TRIGGERING (still listed as working) until released", () => {
    const { engine, move, stop } = setup();
    engine.triggerFaults.add({ kind: "hold", symbol: "BTCUSDT", count: 1 });
    const s = stop();
    move(48_900);
    move(48_000);
    expect(s.algoStatus).toBe("TRIGGERING");
    expect(engine.openAlgos("BTCUSDT").map((a) => a.algoId)).toEqual([s.algoId]);
    expect(codeOf(() => engine.cancelAlgo("BTCUSDT", { algoId: s.algoId }))).toBe(-2011);
    expect(engine.book.amt("BTCUSDT")).toBe(1);
    engine.releaseHeldTriggers("BTCUSDT");
    expect(s).toMatchObject({ algoStatus: "FINISHED", executedQty: 1, avgPrice: 48_000 });
    expect(engine.openAlgos("BTCUSDT")).toEqual([]);
  });

  it("a partial-fill fault: FINISHED with part of the quantity executed, the rest of its order expired", () => {
    const { engine, move, stop } = setup();
    engine.triggerFaults.add({ kind: "partial-fill", fillRatio: 0.3 });
    const s = stop();
    move(48_900);
    expect(s).toMatchObject({ algoStatus: "FINISHED", executedQty: 0.3 });
    const order = engine.findOrder("BTCUSDT", { orderId: s.actualOrderId! }) as PlainOrder;
    expect(order).toMatchObject({ status: "EXPIRED", executedQty: 0.3 });
    expect(engine.book.amt("BTCUSDT")).toBeCloseTo(0.7, 9);
  });

  it("fillRatio 0: FINISHED without a fill, the position untouched", () => {
    const { engine, move, stop } = setup();
    engine.triggerFaults.add({ kind: "partial-fill", fillRatio: 0 });
    const s = stop();
    move(48_900);
    expect(s).toMatchObject({ algoStatus: "FINISHED", executedQty: 0 });
    expect(engine.book.amt("BTCUSDT")).toBe(1);
  });

  it("reject and expire faults end the order REJECTED / EXPIRED with a reason and no order", () => {
    const { engine, move, stop, algoStates } = setup();
    engine.triggerFaults.add({ kind: "reject", count: 1 });
    engine.triggerFaults.add({ kind: "expire", count: 1, reason: "system cancel" });
    const a = stop(0.5);
    const b = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 48_500, quantity: 0.5, reduceOnly: true, source: "api" }) as AlgoOrder;
    move(48_900);
    expect(a).toMatchObject({ algoStatus: "REJECTED", rejectReason: "Margin is insufficient.", actualOrderId: null });
    expect(algoStates(a)).toEqual(["NEW", "TRIGGERING", "REJECTED"]);
    move(48_000);
    expect(b).toMatchObject({ algoStatus: "EXPIRED", rejectReason: "system cancel" });
    expect(engine.book.amt("BTCUSDT")).toBe(1);
  });

  it("refuses more working algo orders per symbol than MAX_NUM_ALGO_ORDERS (-4045)", () => {
    const { stop } = setup();
    for (let i = 0; i < MAX_NUM_ALGO_ORDERS; i++) stop(0.1);
    expect(codeOf(() => stop(0.1))).toBe(-4045);
  });
});

describe("order endpoint and filters (Binance's futures codes)", () => {
  it("a conditional type sent to /fapi/v1/order is refused with -4120", () => {
    const { engine } = setup();
    const r = codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_000, quantity: 1, reduceOnly: true, source: "api" }, "order"));
    expect(r).toBe(-4120);
    expect(engine.log.rejected.at(-1)?.code).toBe(-4120);
  });

  it("step -4023, min -4004, max (LOT_SIZE for limits, MARKET_LOT_SIZE for market and stop orders) -4005, tick -4014, min price -4013", () => {
    const { engine } = setup();
    const spec = engine.spec("BTCUSDT");
    const market = (quantity: number) => () => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity, reduceOnly: true, source: "api" });
    const limit = (quantity: number, price: number) => () => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "LIMIT", quantity, price, reduceOnly: true, source: "api" });
    expect(codeOf(market(spec.marketMaxQty + 1))).toBe(-4005);
    expect(codeOf(limit(spec.marketMaxQty + 1, 60_000))).toBeNull(); // within LOT_SIZE: a limit may be larger
    expect(codeOf(limit(0.0015, 60_000))).toBe(-1111);
    expect(codeOf(limit(spec.maxQty + 1, 60_000))).toBe(-4005);
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_000, quantity: spec.marketMaxQty + 1, reduceOnly: true, source: "api" }))).toBe(-4005);
    expect(codeOf(limit(0.5, 60_000.125))).toBe(-1111); // 3 decimals, BTCUSDT prices have 2
    expect(codeOf(limit(0.5, 60_000.05))).toBe(-4014); // tick 0.1
    expect(codeOf(limit(0.5, 1))).toBe(-4013);
    const xrp = marketSpecFor("XRPUSDT", 0.5);
    expect(xrp.stepSize).toBe(0.1);
  });
});

describe("LOT_SIZE with a step that is not a power of ten", () => {
  it("answers -4023 off the step and -4004 below the minimum", () => {
    const clock = new SimClock(1_000_000);
    const spec = { ...marketSpecFor("BTCUSDT", 50_000), stepSize: 0.005, minQty: 0.01 };
    const engine = new MatchingEngine(clock, new Map([["BTCUSDT", spec]]), () => 50_000);
    const buy = (quantity: number) => () => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity, source: "api" });
    expect(codeOf(buy(0.012))).toBe(-4023);
    expect(codeOf(buy(0.005))).toBe(-4004);
    expect(codeOf(buy(0.015))).toBeNull(); // on the step, above the minimum
  });
});
