import { describe, expect, it } from "vitest";
import type { Decision } from "../../src/core/exit-brain";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { ExchangeOrder } from "../exchange/exchange-port";
import { exitOrdersOf } from "./exit-orders-of";
import { planLiveActions, type LivePlanInput } from "./plan-live-actions";

const pos: PositionSnapshot = { symbol: "BTCUSDT", side: "long", size: 0.5, entryPrice: 100, markPrice: 103, leverage: 5, liquidationPrice: 80, unrealizedPnl: 1.5, openedAt: 1 };

function order(id: string, over: Partial<ExchangeOrder>): ExchangeOrder {
  return {
    id, clientOrderId: null, symbol: "BTCUSDT", side: "sell", type: "STOP_MARKET", conditional: true, status: "open", quantity: 0.5, filled: 0,
    averagePrice: null, triggerPrice: 97, reduceOnly: true, closePosition: false, timestamp: 1, ...over,
  };
}
const book: ExchangeOrder[] = [
  order("s1", { triggerPrice: 96 }),
  order("s2", { triggerPrice: 97.5 }),
  order("t1", { type: "TAKE_PROFIT_MARKET", triggerPrice: 110 }),
  order("t2", { type: "TAKE_PROFIT_MARKET", triggerPrice: 106 }),
  order("r1", { type: "LIMIT", conditional: false, triggerPrice: null }),
  order("x1", { symbol: "ETHUSDT" }), // another symbol
  order("x2", { side: "buy" }), // would not reduce a long
];
const own = { stops: [{ symbol: "BTCUSDT", conditional: true, id: "own-stop" }], takeProfits: [{ symbol: "BTCUSDT", conditional: true, id: "own-tp" }] };
const input = (decision: Decision): LivePlanInput => ({ decision, position: pos, positionKey: "BTCUSDT:long:1", toggleVersion: 9, resting: exitOrdersOf(book, "BTCUSDT", "long", 103, 0), own });
const ids = (refs: { id?: string }[]) => refs.map((r) => r.id).sort();

describe("exitOrdersOf", () => {
  it("keeps this position's reducing orders and seeds the most protective stop and the nearest take-profit", () => {
    const r = exitOrdersOf(book, "BTCUSDT", "long", 103, 0);
    expect(ids(r.all)).toEqual(["r1", "s1", "s2", "t1", "t2"]);
    expect(r.existing).toEqual({ stopPrice: 97.5, takeProfitPrice: 106 });
    const short = exitOrdersOf([order("a", { side: "buy", triggerPrice: 105 }), order("b", { side: "buy", triggerPrice: 104 })], "BTCUSDT", "short", 100, 0);
    expect(short.existing.stopPrice).toBe(104);
    expect(exitOrdersOf([], "BTCUSDT", "long", 1, 0).existing).toEqual({ stopPrice: null, takeProfitPrice: null });
  });

  it("a stop stuck firing (TRIGGERING past 5 s) does not count as protection, but stays listed for cancelling", () => {
    const firing = (since: number) => [order("s1", { triggerPrice: 96 }), order("s2", { triggerPrice: 97.5, algoStatus: "TRIGGERING", triggeringSince: since })];
    const fresh = exitOrdersOf(firing(10_000), "BTCUSDT", "long", 103, 12_000); // firing for 2 s: still protects
    expect(ids(fresh.protectingStops)).toEqual(["s1", "s2"]);
    expect(fresh.existing.stopPrice).toBe(97.5);
    const stuck = exitOrdersOf(firing(10_000), "BTCUSDT", "long", 103, 16_000); // 6 s: stuck
    expect(ids(stuck.protectingStops)).toEqual(["s1"]);
    expect(stuck.existing.stopPrice).toBe(96);
    expect(ids(stuck.stops)).toEqual(["s1", "s2"]);
    const only = exitOrdersOf([order("s2", { algoStatus: "TRIGGERING", triggeringSince: 0 })], "BTCUSDT", "long", 103, 60_000);
    expect(only.protectingStops).toEqual([]);
    expect(only.existing.stopPrice).toBeNull(); // the executor places a new stop
  });
});

describe("planLiveActions", () => {
  it("move_sl: a reduce-only STOP_MARKET at the new stop, then cancel the old stops (snapshot and own) only", () => {
    const p = planLiveActions(input({ type: "move_sl", newSl: 100.3, slReason: "breakeven", confidence: 0.8, reason: "x" }));
    expect(p.submit).toMatchObject({ module: "exit_executor", kind: "sl", orderType: "STOP_MARKET", side: "sell", positionSide: "long", quantity: 0.5, stopPrice: 100.3, reduceOnly: true });
    expect(ids(p.cancelAfterPlaced)).toEqual(["own-stop", "s1", "s2"]);
    const trail = planLiveActions(input({ type: "move_sl", newSl: 101, slReason: "trailing", confidence: 0.8, reason: "x" }));
    expect(trail.submit?.kind).toBe("trailing");
    const initial = planLiveActions(input({ type: "move_sl", newSl: 95, slReason: "initial", confidence: 1, reason: "x" }));
    expect(initial.submit?.kind).toBe("sl");
  });

  it("partial_close: a reduce-only MARKET for fraction x size, nothing cancelled", () => {
    const p = planLiveActions(input({ type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 0.7, reason: "x" }));
    expect(p.submit).toMatchObject({ kind: "partial_tp", orderType: "MARKET", quantity: 0.25, side: "sell", reduceOnly: true });
    expect(p.cancelAfterPlaced).toEqual([]);
  });

  it("full_exit_now (and a partial of 1): MARKET close of the whole size, then cancel every exit order of the position", () => {
    for (const d of [
      { type: "full_exit_now", exitReason: "shock", confidence: 0.9, reason: "x" },
      { type: "partial_close", fraction: 1, ladderStep: 2, confidence: 0.9, reason: "x" },
    ] as Decision[]) {
      const p = planLiveActions(input(d));
      expect(p.submit).toMatchObject({ kind: "close", orderType: "MARKET", quantity: 0.5, reduceOnly: true });
      expect(ids(p.cancelAfterPlaced)).toEqual(["own-stop", "own-tp", "r1", "s1", "s2", "t1", "t2"]);
    }
  });

  it("set_tp: a TAKE_PROFIT_MARKET, then cancel the old take-profits; hold does nothing", () => {
    const p = planLiveActions(input({ type: "set_tp", newTp: 109, confidence: 0.6, reason: "x" }));
    expect(p.submit).toMatchObject({ kind: "tp", orderType: "TAKE_PROFIT_MARKET", stopPrice: 109, quantity: 0.5 });
    expect(ids(p.cancelAfterPlaced)).toEqual(["own-tp", "t1", "t2"]);
    expect(planLiveActions(input({ type: "hold", confidence: 0.5, reason: "x" }))).toEqual({ submit: null, cancelAfterPlaced: [] });
  });

  it("the same decision under the same toggle version plans the same decision id; a new version a new one", () => {
    const d: Decision = { type: "move_sl", newSl: 100.3, slReason: "breakeven", confidence: 0.8, reason: "x" };
    const a = planLiveActions(input(d)).submit!.decisionId;
    expect(planLiveActions(input({ ...d, reason: "y" })).submit!.decisionId).toBe(a);
    expect(planLiveActions({ ...input(d), toggleVersion: 10 }).submit!.decisionId).not.toBe(a);
  });
});
