import { describe, expect, it } from "vitest";
import type { PositionSnapshot } from "../market/types";
import { hybridTpslOrders } from "./hybrid-tpsl-rule";
import { defaultHybridTpslParams, HybridTpslParamsSchema } from "./legacy-params";
import { positionMonitorOrders } from "./position-monitor-rule";

const pos = (side: "long" | "short", size = 2): PositionSnapshot => ({
  symbol: "ETHUSDT", side, size, entryPrice: 2000, markPrice: 2010, leverage: 5, liquidationPrice: null, unrealizedPnl: 0, openedAt: null,
});

describe("position_monitor", () => {
  it("wants one stop and one take-profit at fixed distances for the whole size", () => {
    const [sl, tp] = positionMonitorOrders(pos("long"), { stopLossPct: 1.5, takeProfitPct: 3 });
    expect(sl).toMatchObject({ kind: "sl", quantity: 2, closeSide: "sell" });
    expect(sl!.price).toBeCloseTo(1970, 9);
    expect(tp!.price).toBeCloseTo(2060, 9);
    const [ssl, stp] = positionMonitorOrders(pos("short"), { stopLossPct: 1.5, takeProfitPct: 3 });
    expect(ssl!.price).toBeCloseTo(2030, 9);
    expect(stp!.price).toBeCloseTo(1940, 9);
    expect(ssl!.closeSide).toBe("buy");
  });
});

describe("hybrid_tpsl", () => {
  it("wants a fixed stop and a ladder whose quantities add up to the position", () => {
    const orders = hybridTpslOrders(pos("long", 2), defaultHybridTpslParams);
    expect(orders.map((o) => o.kind)).toEqual(["sl", "partial_tp", "tp"]);
    expect(orders.slice(1).reduce((s, o) => s + o.quantity, 0)).toBeCloseTo(2, 12);
    expect(orders[1]!.price).toBeCloseTo(2030, 9);
  });

  it("after the first rung filled, the rest of the (smaller) position sits on the next rung", () => {
    const orders = hybridTpslOrders(pos("short", 1), defaultHybridTpslParams, 1);
    expect(orders.map((o) => [o.kind, o.quantity])).toEqual([["sl", 1], ["tp", 1]]);
    expect(orders[1]!.price).toBeCloseTo(1940, 9);
  });

  it("rejects a ladder that is not ascending", () => {
    expect(HybridTpslParamsSchema.safeParse({ levels: [{ pct: 3, fraction: 0.5 }, { pct: 1, fraction: 1 }] }).success).toBe(false);
  });
});
