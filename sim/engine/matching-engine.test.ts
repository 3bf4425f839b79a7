import { describe, expect, it } from "vitest";
import { marketSpecFor } from "./market-spec";
import { MatchingEngine } from "./matching-engine";
import type { AlgoOrder, EngineEvent, PlainOrder } from "./order-types";
import { SimClock } from "./sim-clock";
import { SimApiError } from "./sim-error";

function setup(slippageBps = 0) {
  const clock = new SimClock(1_000_000);
  const prices = new Map([["BTCUSDT", 50_000]]);
  const specs = new Map([["BTCUSDT", marketSpecFor("BTCUSDT", 50_000)]]);
  const engine = new MatchingEngine(clock, specs, (s) => prices.get(s)!, {
    slippageBps, takerFeeRate: 0.0004, makerFeeRate: 0.0002, startingBalance: 10_000, defaultLeverage: 10,
  });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const move = (...path: number[]) => {
    prices.set("BTCUSDT", path.at(-1)!);
    engine.onPricePath("BTCUSDT", path);
  };
  engine.onPricePath("BTCUSDT", [50_000]);
  return { clock, prices, engine, events, move };
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

const long = (engine: MatchingEngine, qty = 0.1) => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: qty, source: "api" });

describe("MatchingEngine: market orders and positions", () => {
  it("fills at the current price plus slippage, charges the taker fee, opens a position", () => {
    const { engine } = setup(10);
    const o = long(engine) as PlainOrder;
    expect(o.status).toBe("FILLED");
    expect(o.avgPrice).toBe(50_050); // 10 bps worse for a buy
    expect(o.commission).toBeCloseTo(0.1 * 50_050 * 0.0004, 8);
    expect(engine.book.get("BTCUSDT")).toMatchObject({ amt: 0.1, entryPrice: 50_050, leverage: 10 });
  });

  it("realises PnL on a partial close and keeps the entry price", () => {
    const { engine, prices } = setup();
    long(engine);
    prices.set("BTCUSDT", 51_000);
    const close = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.04, reduceOnly: true, source: "api" }) as PlainOrder;
    expect(close.realizedPnl).toBeCloseTo(40, 8);
    expect(engine.book.get("BTCUSDT")).toMatchObject({ amt: 0.06, entryPrice: 50_000 });
  });
});

describe("MatchingEngine: reduce-only", () => {
  it("rejects a reduce-only order with no position or on the side that would grow it (-2022)", () => {
    const { engine } = setup();
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.01, reduceOnly: true, source: "api" }))).toBe(-2022);
    long(engine);
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.01, reduceOnly: true, source: "api" }))).toBe(-2022);
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "STOP_MARKET", triggerPrice: 55_000, quantity: 0.01, reduceOnly: true, source: "api" }))).toBe(-2022);
    expect(engine.book.amt("BTCUSDT")).toBe(0.1);
    expect(engine.log.rejected.map((r) => r.code)).toEqual([-2022, -2022, -2022]);
  });

  it("caps a reduce-only close at the position size: never flips it", () => {
    const { engine } = setup();
    long(engine);
    const o = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.5, reduceOnly: true, source: "api" }) as PlainOrder;
    expect(o.executedQty).toBe(0.1);
    expect(engine.book.amt("BTCUSDT")).toBe(0);
  });

  it("expires a reduce-only stop whose position is gone when it fires", () => {
    const { engine, move } = setup();
    long(engine);
    const stop = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_000, quantity: 0.1, reduceOnly: true, source: "api" }) as AlgoOrder;
    engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.1, reduceOnly: true, source: "api" });
    move(48_000);
    expect(stop.algoStatus).toBe("EXPIRED");
    expect(stop.rejectReason).toBe("Reduce Only reject");
    expect(engine.book.amt("BTCUSDT")).toBe(0);
  });
});

describe("MatchingEngine: conditional orders", () => {
  it("fires a stop when a continuous path crosses it, filling at the trigger", () => {
    const { engine, move, events } = setup();
    long(engine);
    const stop = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_500, quantity: 0.1, reduceOnly: true, source: "api" }) as AlgoOrder;
    move(49_800);
    expect(stop.algoStatus).toBe("NEW");
    move(49_200);
    expect(stop.algoStatus).toBe("FINISHED");
    const fill = events.find((e) => e.kind === "order" && e.execType === "TRADE" && e.order.source === "trigger");
    expect(fill?.kind === "order" && fill.order.avgPrice).toBe(49_500);
    expect(engine.book.amt("BTCUSDT")).toBe(0);
  });

  it("fills a stop at the gap price when the price jumps past it", () => {
    const { engine } = setup();
    long(engine);
    engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_500, quantity: 0.1, reduceOnly: true, source: "api" });
    engine.onPricePath("BTCUSDT", [48_000], true);
    const trigger = engine.log.accepted.find((e) => e.kind === "order" && e.order.source === "trigger");
    expect(trigger?.kind === "order" && trigger.order.avgPrice).toBe(48_000);
  });

  it("fires a take-profit with closePosition for the whole position", () => {
    const { engine, move } = setup();
    long(engine, 0.2);
    const tp = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "TAKE_PROFIT_MARKET", triggerPrice: 51_000, closePosition: true, source: "api" }) as AlgoOrder;
    move(50_900);
    expect(tp.algoStatus).toBe("NEW");
    move(51_100);
    expect(tp.algoStatus).toBe("FINISHED");
    expect(engine.book.amt("BTCUSDT")).toBe(0);
  });

  it("trails the best price and fires on the retracement", () => {
    const { engine, move } = setup();
    long(engine);
    const trail = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "TRAILING_STOP_MARKET", callbackRate: 1, quantity: 0.1, reduceOnly: true, source: "api" }) as AlgoOrder;
    move(52_000);
    move(51_600); // -0.77% from 52,000: holds
    expect(trail.algoStatus).toBe("NEW");
    move(51_400); // -1.15%: fires
    expect(trail.algoStatus).toBe("FINISHED");
    expect(engine.book.amt("BTCUSDT")).toBe(0);
  });

  it("refuses a stop that would fire at once (-2021) and a bad callback rate (-2007)", () => {
    const { engine } = setup();
    long(engine);
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 50_500, quantity: 0.1, reduceOnly: true, source: "api" }))).toBe(-2021);
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "TRAILING_STOP_MARKET", callbackRate: 20, quantity: 0.1, reduceOnly: true, source: "api" }))).toBe(-2007);
  });

  it("cancels an open conditional order and refuses to cancel it twice (-2011)", () => {
    const { engine } = setup();
    long(engine);
    const stop = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_000, quantity: 0.1, reduceOnly: true, source: "api" }) as AlgoOrder;
    expect(engine.cancelAlgo("BTCUSDT", { algoId: stop.algoId }).algoStatus).toBe("CANCELED");
    expect(codeOf(() => engine.cancelAlgo("BTCUSDT", { algoId: stop.algoId }))).toBe(-2011);
  });
});

describe("MatchingEngine: filters and ids", () => {
  it("rejects a reused client order id (-4116) and keeps one order in the log", () => {
    const { engine } = setup();
    engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.01, clientOrderId: "same", source: "api" });
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.01, clientOrderId: "same", source: "api" }))).toBe(-4116);
    expect(engine.log.accepted.filter((e) => e.kind === "order" && e.order.clientOrderId === "same")).toHaveLength(1);
  });

  it("enforces step, minimum quantity, min notional and margin", () => {
    const { engine } = setup();
    const buy = (quantity: number) => () => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity, source: "api" });
    expect(codeOf(buy(0.0015))).toBe(-1111);
    expect(codeOf(buy(0.0001))).toBe(-1111); // 4 decimals, BTCUSDT has 3
    expect(codeOf(buy(0))).toBe(-4003);
    expect(codeOf(buy(0.001))).toBe(-4164); // 50 USDT < 100
    expect(codeOf(buy(3))).toBe(-2019); // 150k notional at 10x needs 15k margin
  });
});
