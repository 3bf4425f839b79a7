import { describe, expect, it } from "vitest";
import type { PositionSnapshot } from "../market/types";
import { assessPositionSafety, type OpenExitOrder } from "./position-safety";

const pos = (over: Partial<PositionSnapshot> = {}): PositionSnapshot => ({
  symbol: "BTCUSDT", side: "long", size: 0.5, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: 80, unrealizedPnl: 0.5, openedAt: null, ...over,
});
const stop = (over: Partial<OpenExitOrder> = {}): OpenExitOrder => ({
  symbol: "BTCUSDT", side: "sell", type: "STOP_MARKET", reduceOnly: true, closePosition: false, stopPrice: 95, ...over,
});

describe("assessPositionSafety", () => {
  it("a reduce-only stop on the closing side protects the position", () => {
    expect(assessPositionSafety([pos()], [stop()])[0]).toMatchObject({ protected: true, stopPrice: 95, dualPosition: false });
  });

  it("a stop on the wrong side, on another symbol, or that is not reduce-only does not", () => {
    for (const o of [stop({ side: "buy" }), stop({ symbol: "ETHUSDT" }), stop({ reduceOnly: false })]) {
      expect(assessPositionSafety([pos()], [o])[0]?.protected).toBe(false);
    }
  });

  it("closePosition stops and trailing stops count; take-profits alone do not", () => {
    expect(assessPositionSafety([pos()], [stop({ reduceOnly: false, closePosition: true })])[0]?.protected).toBe(true);
    expect(assessPositionSafety([pos()], [stop({ type: "TRAILING_STOP_MARKET", stopPrice: null })])[0]?.protected).toBe(true);
    const tpOnly = assessPositionSafety([pos()], [stop({ type: "TAKE_PROFIT_MARKET", stopPrice: 110 })])[0];
    expect(tpOnly).toMatchObject({ protected: false, takeProfitPrice: 110 });
  });

  it("flags a LONG and a SHORT on the same symbol as a dual position", () => {
    const r = assessPositionSafety([pos(), pos({ side: "short" }), pos({ symbol: "ETHUSDT" })], []);
    expect(r.map((x) => x.dualPosition)).toEqual([true, true, false]);
  });
});
