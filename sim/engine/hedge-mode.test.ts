import { describe, expect, it } from "vitest";
import { marketSpecFor } from "./market-spec";
import { MatchingEngine } from "./matching-engine";
import type { AlgoOrder } from "./order-types";
import { SimClock } from "./sim-clock";
import { SimApiError } from "./sim-error";

function setup() {
  const prices = new Map([["BTCUSDT", 50_000]]);
  const engine = new MatchingEngine(new SimClock(1_000_000), new Map([["BTCUSDT", marketSpecFor("BTCUSDT", 50_000)]]), (s) => prices.get(s)!, {
    slippageBps: 0, takerFeeRate: 0, makerFeeRate: 0, startingBalance: 1_000_000, defaultLeverage: 10,
  });
  engine.onPricePath("BTCUSDT", [50_000]);
  const move = (price: number) => {
    prices.set("BTCUSDT", price);
    engine.onPricePath("BTCUSDT", [price]);
  };
  return { engine, move };
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

describe("hedge mode (dualSidePosition)", () => {
  it("switches only with no position and no open order (-4068, -4067), and not to the mode it is in (-4059)", () => {
    const { engine } = setup();
    expect(codeOf(() => engine.setDualSide(false))).toBe(-4059);
    engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.1, source: "api" });
    expect(codeOf(() => engine.setDualSide(true))).toBe(-4068);
    engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.1, reduceOnly: true, source: "api" });
    engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT", price: 40_000, quantity: 0.1, source: "api" });
    expect(codeOf(() => engine.setDualSide(true))).toBe(-4067);
  });

  it("keeps a LONG and a SHORT on one symbol; closing orders name their side and may not grow it", () => {
    const { engine, move } = setup();
    engine.setDualSide(true);
    engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.2, positionSide: "LONG", source: "api" });
    engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.1, positionSide: "SHORT", source: "api" });
    expect(engine.book.amt("BTCUSDT", "LONG")).toBe(0.2);
    expect(engine.book.amt("BTCUSDT", "SHORT")).toBe(-0.1);
    // a stop for the long: SELL on LONG, no reduceOnly
    const stop = engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_000, quantity: 0.2, positionSide: "LONG", source: "api" }) as AlgoOrder;
    expect(stop.positionSide).toBe("LONG");
    move(48_000);
    expect(stop).toMatchObject({ algoStatus: "FINISHED", executedQty: 0.2 });
    expect(engine.book.amt("BTCUSDT", "LONG")).toBe(0);
    expect(engine.book.amt("BTCUSDT", "SHORT")).toBe(-0.1);
    // closing a side that is flat
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.1, positionSide: "LONG", source: "api" }))).toBe(-2022);
  });

  it("refuses reduceOnly (-1106) and a missing or BOTH position side (-4061); one-way mode refuses LONG/SHORT (-4061)", () => {
    const { engine } = setup();
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.1, positionSide: "LONG", source: "api" }))).toBe(-4061);
    engine.setDualSide(true);
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.1, source: "api" }))).toBe(-4061);
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.1, positionSide: "BOTH", source: "api" }))).toBe(-4061);
    engine.submit({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.1, positionSide: "LONG", source: "api" });
    expect(codeOf(() => engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: 49_000, quantity: 0.1, reduceOnly: true, positionSide: "LONG", source: "api" }))).toBe(-1106);
    // the simulator's own orders (demo trader, admin) get their side inferred
    engine.submit({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.1, source: "demo" });
    expect(engine.book.amt("BTCUSDT", "SHORT")).toBe(-0.1);
  });
});
