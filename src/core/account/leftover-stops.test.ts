import { describe, expect, it } from "vitest";
import type { ExchangeOrder } from "../market/exchange-order";
import { scanLeftoverOrders, stillFlat } from "./leftover-stops";

function order(over: Partial<ExchangeOrder> & Pick<ExchangeOrder, "id">): ExchangeOrder {
  return {
    clientOrderId: `eb-${over.id}`, symbol: "BTCUSDT", side: "sell", type: "STOP_MARKET", conditional: true, status: "open", quantity: 1, filled: 0,
    averagePrice: null, triggerPrice: 100, reduceOnly: true, closePosition: false, timestamp: 1, positionSide: "BOTH", ...over,
  };
}

const GRACE = { graceMs: 10_000 };
const ids = (s: ReturnType<typeof scanLeftoverOrders>) => s.due.flatMap((g) => g.orders.map((o) => o.id));

describe("left-over exit orders of closed positions", () => {
  it("one-way: the product's reduce-only orders of a flat symbol are due after the grace period, not before; never a trader's own order or one that can open", () => {
    const view = {
      positions: [{ symbol: "ETHUSDT", side: "long" as const, size: 1 }],
      openOrders: [
        order({ id: "1" }), order({ id: "2", type: "TAKE_PROFIT_MARKET" }),
        order({ id: "3", clientOrderId: "manual-3" }), order({ id: "4", reduceOnly: false }), order({ id: "5", symbol: "ETHUSDT" }),
      ],
    };
    const first = scanLeftoverOrders(view, new Map(), 1_000, { mode: "one-way", ...GRACE });
    expect(first.due).toEqual([]);
    expect([...first.seenSince.values()]).toEqual([1_000, 1_000]);
    expect(ids(scanLeftoverOrders(view, first.seenSince, 10_999, { mode: "one-way", ...GRACE }))).toEqual([]);
    const due = scanLeftoverOrders(view, first.seenSince, 11_000, { mode: "one-way", ...GRACE });
    expect(due.due).toEqual([{ symbol: "BTCUSDT", side: null, orders: [view.openOrders[0], view.openOrders[1]] }]);
  });

  it("a position seen again restarts the grace period (a reopening)", () => {
    const flat = { positions: [], openOrders: [order({ id: "1" })] };
    const reopened = { positions: [{ symbol: "BTCUSDT", side: "short" as const, size: 1 }], openOrders: flat.openOrders };
    let s = scanLeftoverOrders(flat, new Map(), 0, { mode: "one-way", ...GRACE });
    s = scanLeftoverOrders(reopened, s.seenSince, 5_000, { mode: "one-way", ...GRACE });
    expect(s.seenSince.size).toBe(0);
    s = scanLeftoverOrders(flat, s.seenSince, 12_000, { mode: "one-way", ...GRACE });
    expect(s.due).toEqual([]);
    expect(ids(scanLeftoverOrders(flat, s.seenSince, 22_000, { mode: "one-way", ...GRACE }))).toEqual(["1"]);
  });

  it("hedge mode: only the flat side's closing orders; the open side's orders are never due", () => {
    const view = {
      positions: [{ symbol: "BTCUSDT", side: "short" as const, size: 1 }],
      openOrders: [
        order({ id: "L1", positionSide: "LONG", side: "sell", reduceOnly: true }),
        order({ id: "S1", positionSide: "SHORT", side: "buy", reduceOnly: true }),
        // a BUY on LONG opens: never the cleanup's
        order({ id: "L2", positionSide: "LONG", side: "buy", reduceOnly: false }),
      ],
    };
    const s = scanLeftoverOrders(view, new Map(), 0, { mode: "hedge", ...GRACE });
    const due = scanLeftoverOrders(view, s.seenSince, 10_000, { mode: "hedge", ...GRACE });
    expect(due.due).toEqual([{ symbol: "BTCUSDT", side: "long", orders: [view.openOrders[0]] }]);
  });

  it("the REST check: one-way flat means no side open; hedge flat means its side only", () => {
    const rest = [{ symbol: "BTCUSDT", side: "short" as const, size: 1 }, { symbol: "BTCUSDT", side: "long" as const, size: 0 }];
    expect(stillFlat({ symbol: "BTCUSDT", side: null }, rest)).toBe(false);
    expect(stillFlat({ symbol: "BTCUSDT", side: "long" }, rest)).toBe(true);
    expect(stillFlat({ symbol: "BTCUSDT", side: "short" }, rest)).toBe(false);
    expect(stillFlat({ symbol: "ETHUSDT", side: null }, rest)).toBe(true);
  });
});
