import { describe, expect, it } from "vitest";
import { toExchangeOrder } from "./ccxt-mappers";
import { TriggeringSince } from "./triggering-since";

// A conditional order as ccxt 4.5 parses /fapi/v1/algoOrder (info = Binance's JSON): ccxt's own
// status folds TRIGGERING into "open" and TRIGGERED/FINISHED into "closed".
function algo(algoStatus: string, extra: Record<string, unknown> = {}, ccxtStatus = "open") {
  return {
    id: "3000001", clientOrderId: "eb-1", symbol: "BTC/USDT:USDT", side: "sell", type: "stop_market", status: ccxtStatus,
    amount: 0.01, filled: 0, triggerPrice: 49_000, reduceOnly: true, timestamp: 1,
    info: { algoId: 3000001, clientAlgoId: "eb-1", algoType: "CONDITIONAL", orderType: "STOP_MARKET", algoStatus, ...extra },
  };
}
const id = (u: string) => u.replace("/USDT:USDT", "USDT");

describe("toExchangeOrder: Binance's algo lifecycle", () => {
  it.each([
    ["NEW", {}, "open"],
    ["TRIGGERING", {}, "open"],
    ["TRIGGERED", { actualOrderId: "8389765001" }, "open"],
    ["FINISHED", { executedQty: "0.010", avgPrice: "48990.0" }, "closed"],
    ["FINISHED", { executedQty: "0.000", avgPrice: "0.0" }, "expired"],
    ["FINISHED", {}, "unknown"],
    ["CANCELED", {}, "canceled"],
    ["EXPIRED", { rejectReason: "Reduce Only reject" }, "expired"],
    ["REJECTED", {}, "rejected"],
  ] as const)("%s %j → %s", (state, extra, expected) => {
    const o = toExchangeOrder(algo(state, extra, state === "NEW" || state === "TRIGGERING" ? "open" : "closed"), id);
    expect(o).toMatchObject({ conditional: true, algoStatus: state, status: expected, triggeringSince: null });
  });

  it("FINISHED: filled and average price come from the order placed at the trigger (REST executedQty, stream aq/ap)", () => {
    expect(toExchangeOrder(algo("FINISHED", { executedQty: "0.004", avgPrice: "48990.0" }, "closed"), id)).toMatchObject({ status: "closed", filled: 0.004, averagePrice: 48_990 });
    const stream = { ...algo("FINISHED", {}, "closed"), info: { aid: 3000001, caid: "eb-1", X: "FINISHED", o: "STOP_MARKET", aq: "0", ap: "0" } };
    expect(toExchangeOrder(stream, id)).toMatchObject({ algoStatus: "FINISHED", status: "expired", filled: 0 });
  });

  it("a plain order has no algo state", () => {
    const plain = { id: "1", clientOrderId: "c", symbol: "BTC/USDT:USDT", side: "sell", status: "closed", amount: 0.01, filled: 0.01, info: { orderId: 1, type: "MARKET", status: "FILLED" } };
    expect(toExchangeOrder(plain, id)).toMatchObject({ conditional: false, algoStatus: null, status: "closed", filled: 0.01 });
  });
});

describe("toExchangeOrder: position side (one-way BOTH, hedge mode LONG/SHORT)", () => {
  const order = (side: "buy" | "sell", positionSide: string, reduceOnly: boolean) =>
    ({ ...algo("NEW"), side, reduceOnly, info: { ...algo("NEW").info, positionSide } });
  it.each([
    ["sell", "LONG", false, true],
    ["buy", "SHORT", false, true],
    ["buy", "LONG", false, false],
    ["sell", "SHORT", false, false],
    ["sell", "BOTH", true, true],
    ["sell", "BOTH", false, false],
  ] as const)("%s on %s (reduceOnly flag %s) can only reduce: %s", (side, positionSide, flag, reduces) => {
    expect(toExchangeOrder(order(side, positionSide, flag), id)).toMatchObject({ positionSide, reduceOnly: reduces });
  });
});

describe("TriggeringSince", () => {
  it("stamps a firing order with its first sighting and forgets it once a complete list no longer has it firing", () => {
    let now = 1_000;
    const t = new TriggeringSince(() => now);
    const firing = toExchangeOrder(algo("TRIGGERING"), id);
    expect(t.stamp([firing], true)[0]?.triggeringSince).toBe(1_000);
    now = 4_000;
    expect(t.stamp([firing], true)[0]?.triggeringSince).toBe(1_000);
    expect(t.stamp([toExchangeOrder(algo("NEW"), id)], true)[0]?.triggeringSince).toBeNull();
    now = 9_000;
    expect(t.stamp([firing], false)[0]?.triggeringSince).toBe(9_000);
  });
});
