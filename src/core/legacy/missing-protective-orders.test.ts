import { describe, expect, it } from "vitest";
import { missingProtectiveOrders, type ExistingExitOrder } from "./missing-protective-orders";
import type { ProtectiveOrder } from "./protective-order";

const sl: ProtectiveOrder = { kind: "sl", price: 98, fraction: 1, quantity: 1, closeSide: "sell" };
const tp: ProtectiveOrder = { kind: "tp", price: 103, fraction: 1, quantity: 1, closeSide: "sell" };
const order = (over: Partial<ExistingExitOrder>): ExistingExitOrder => ({ side: "sell", type: "STOP_MARKET", triggerPrice: 97, reduceOnly: true, closePosition: false, ...over });

describe("missingProtectiveOrders", () => {
  it("wants everything when nothing is on the exchange", () => {
    expect(missingProtectiveOrders([sl, tp], [])).toEqual([sl, tp]);
  });
  it("any closing stop satisfies the stop (no stacking), whatever its price or author", () => {
    expect(missingProtectiveOrders([sl, tp], [order({ triggerPrice: 99.5 })])).toEqual([tp]);
    expect(missingProtectiveOrders([sl], [order({ type: "TRAILING_STOP_MARKET", triggerPrice: null })])).toEqual([]);
  });
  it("a take-profit counts only near its price, on the closing side, reduce-only", () => {
    expect(missingProtectiveOrders([tp], [order({ type: "TAKE_PROFIT_MARKET", triggerPrice: 103.02 })])).toEqual([]);
    expect(missingProtectiveOrders([tp], [order({ type: "TAKE_PROFIT_MARKET", triggerPrice: 104 })])).toEqual([tp]);
    expect(missingProtectiveOrders([tp], [order({ type: "TAKE_PROFIT_MARKET", triggerPrice: 103, side: "buy" })])).toEqual([tp]);
    expect(missingProtectiveOrders([sl], [order({ reduceOnly: false })])).toEqual([sl]);
  });
});
