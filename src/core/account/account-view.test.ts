import { describe, expect, it } from "vitest";
import type { ExchangeOrder } from "../market/exchange-order";
import type { PositionSnapshot } from "../market/types";
import {
  accountFromRest, accountSnapshotOf, applyUserDataEvent, EMPTY_ACCOUNT, rebaseOnRest, withPositionDetail, type AccountView,
} from "./account-view";
import { accountConfirmation } from "./stream-health";
import { parseUserDataEvent, UserDataEventError, type UserDataEvent } from "./user-data-events";

const btcLong: PositionSnapshot = {
  symbol: "BTCUSDT", side: "long", size: 0.01, entryPrice: 60_000, markPrice: 60_100, leverage: 5, liquidationPrice: 48_500, unrealizedPnl: 1, openedAt: 10,
};
const stop: ExchangeOrder = {
  id: "7", clientOrderId: "eb-stop", symbol: "BTCUSDT", side: "sell", type: "STOP_MARKET", conditional: true, status: "open", algoStatus: "NEW",
  triggeringSince: null, quantity: 0, filled: 0, averagePrice: null, triggerPrice: 58_000, reduceOnly: true, closePosition: true, timestamp: 5,
};

function accountUpdate(rows: { s: string; pa: string; ep?: string; ps?: string }[], E = 100, wb = "10000"): UserDataEvent {
  return parseUserDataEvent({
    e: "ACCOUNT_UPDATE", E, T: E,
    a: { m: "ORDER", B: [{ a: "USDT", wb, cw: wb, bc: "0" }], P: rows.map((r) => ({ s: r.s, pa: r.pa, ep: r.ep ?? "100", bep: "100", cr: "0", up: "0.5", mt: "cross", iw: "0", ps: r.ps ?? "BOTH" })) },
  });
}

function algoUpdate(X: string, extra: Record<string, unknown> = {}, E = 200): UserDataEvent {
  return parseUserDataEvent({
    e: "ALGO_UPDATE", E, T: E,
    o: { caid: "eb-stop", aid: 7, at: "CONDITIONAL", o: "STOP_MARKET", s: "BTCUSDT", S: "SELL", ps: "BOTH", f: "GTC", q: "0", X, ai: "", ap: "0", aq: "0", tp: "58000", R: false, cp: true, ...extra },
  });
}

function tradeUpdate(X: string, E = 300): UserDataEvent {
  return parseUserDataEvent({
    e: "ORDER_TRADE_UPDATE", E, T: E,
    o: { s: "ETHUSDT", c: "eb-tp", S: "BUY", o: "LIMIT", f: "GTC", q: "2", p: "90", ap: "0", sp: "0", x: "NEW", X, i: 55, l: "0", z: "0", L: "0", T: E, R: true, ps: "BOTH", cp: false, ot: "LIMIT" },
  });
}

const apply = (v: AccountView, e: UserDataEvent, at = 9_000): AccountView => applyUserDataEvent(v, e, at);
const rest = (positions: PositionSnapshot[], orders: ExchangeOrder[] = []): AccountView => accountFromRest({ positions, orders });

describe("user-data events", () => {
  it("parses Binance's decimals sent as strings and leaves other event kinds alone", () => {
    const e = accountUpdate([{ s: "BTCUSDT", pa: "-0.5" }]);
    expect(e.e === "ACCOUNT_UPDATE" && e.a.P[0]!.pa).toBe(-0.5);
    expect(parseUserDataEvent({ e: "MARGIN_CALL", E: 1 })).toEqual({ e: "ignored", kind: "MARGIN_CALL" });
  });
  it("names the event and the field when a known event is malformed", () => {
    expect(() => parseUserDataEvent({ e: "ACCOUNT_UPDATE", E: 1, T: 1, a: { m: "ORDER", B: [], P: [{ s: "BTCUSDT", pa: "abc", ep: "1", up: "0", ps: "BOTH" }] } })).toThrow(
      /malformed ACCOUNT_UPDATE event: a\.P\.0\.pa: expected a decimal, got "abc"/,
    );
    expect(() => parseUserDataEvent({ E: 1 })).toThrow(UserDataEventError);
  });
});

describe("account view reduction", () => {
  it("ACCOUNT_UPDATE resizes a known position, keeps its REST details, and records the wallet", () => {
    const v = apply(rest([btcLong]), accountUpdate([{ s: "BTCUSDT", pa: "0.03", ep: "60500" }], 100, "9876.5"));
    expect(v.positions.get("BTCUSDT|long")).toEqual({ ...btcLong, size: 0.03, entryPrice: 60_500, unrealizedPnl: 0.5 });
    expect(v.walletBalance).toBe(9876.5);
    expect(v.needsDetail.size).toBe(0);
    expect(v.lastEventAt).toBe(100);
  });
  it("a one-way position that flips side replaces the old side; amount 0 removes it", () => {
    const flipped = apply(rest([btcLong]), accountUpdate([{ s: "BTCUSDT", pa: "-0.02" }]));
    expect([...flipped.positions.keys()]).toEqual(["BTCUSDT|short"]);
    expect(flipped.positions.get("BTCUSDT|short")?.leverage).toBe(5); // the symbol's leverage is kept
    const flat = apply(flipped, accountUpdate([{ s: "BTCUSDT", pa: "0" }]));
    expect(flat.positions.size).toBe(0);
  });
  it("hedge mode: LONG and SHORT of one symbol are separate positions", () => {
    let v = apply(EMPTY_ACCOUNT, accountUpdate([{ s: "BTCUSDT", pa: "0.1", ps: "LONG" }, { s: "BTCUSDT", pa: "-0.2", ps: "SHORT" }]));
    expect(accountSnapshotOf(v).positions.map((p) => [p.side, p.size])).toEqual([["long", 0.1], ["short", 0.2]]);
    v = apply(v, accountUpdate([{ s: "BTCUSDT", pa: "0", ps: "SHORT" }]));
    expect([...v.positions.keys()]).toEqual(["BTCUSDT|long"]);
  });
  it("a position opened by an event asks for its details, which a REST read of that symbol fills in", () => {
    const v = apply(EMPTY_ACCOUNT, accountUpdate([{ s: "BTCUSDT", pa: "0.01", ep: "60000" }]));
    expect([...v.needsDetail]).toEqual(["BTCUSDT"]);
    expect(v.positions.get("BTCUSDT|long")?.liquidationPrice).toBeNull();
    const detailed = withPositionDetail(v, "BTCUSDT", [btcLong]);
    expect(detailed.positions.get("BTCUSDT|long")).toMatchObject({ size: 0.01, leverage: 5, liquidationPrice: 48_500 });
    expect(detailed.needsDetail.size).toBe(0);
  });
  it("ALGO_UPDATE walks a stop through Binance's lifecycle; it leaves the open orders when it ends", () => {
    let v = rest([btcLong], [stop]);
    v = apply(v, algoUpdate("TRIGGERING"), 4_321);
    expect(v.orders.get("algo|BTCUSDT|7")).toMatchObject({ status: "open", algoStatus: "TRIGGERING", triggeringSince: 4_321 });
    v = apply(v, algoUpdate("FINISHED", { aq: "0.01", ap: "57990" }));
    expect(v.orders.size).toBe(0);
  });
  it("maps a FINISHED stop without a fill to expired, like the REST mapper", async () => {
    const { orderOfAlgoUpdate } = await import("./account-view");
    const e = algoUpdate("FINISHED");
    expect(e.e === "ALGO_UPDATE" && orderOfAlgoUpdate(e).status).toBe("expired");
  });
  it("hedge mode: an order on the closing side of its position side counts as reduce-only (Binance sends R=false there), like the REST mapper", async () => {
    const { orderOfAlgoUpdate } = await import("./account-view");
    const hedged = (S: string, ps: string) => {
      const e = algoUpdate("NEW", { S, ps, cp: false, q: "0.01" });
      return e.e === "ALGO_UPDATE" ? orderOfAlgoUpdate(e) : null;
    };
    expect(hedged("SELL", "LONG")).toMatchObject({ reduceOnly: true, positionSide: "LONG" });
    expect(hedged("BUY", "SHORT")).toMatchObject({ reduceOnly: true, positionSide: "SHORT" });
    expect(hedged("BUY", "LONG")).toMatchObject({ reduceOnly: false });
    expect(hedged("SELL", "BOTH")).toMatchObject({ reduceOnly: false });
  });
  it("keeps the first-seen-firing time of a stop across its updates", () => {
    const firing = rest([btcLong], [{ ...stop, algoStatus: "TRIGGERING", triggeringSince: 1234 }]);
    const v = apply(firing, algoUpdate("TRIGGERED"));
    expect(v.orders.get("algo|BTCUSDT|7")?.triggeringSince).toBe(1234);
  });
  it("ORDER_TRADE_UPDATE adds a working plain order and removes it when filled or canceled", () => {
    let v = apply(EMPTY_ACCOUNT, tradeUpdate("NEW"));
    expect(accountSnapshotOf(v).openOrders).toEqual([
      expect.objectContaining({ id: "55", clientOrderId: "eb-tp", side: "buy", type: "LIMIT", conditional: false, status: "open", quantity: 2, reduceOnly: true }),
    ]);
    v = apply(v, tradeUpdate("PARTIALLY_FILLED"));
    expect(v.orders.size).toBe(1);
    v = apply(v, tradeUpdate("FILLED"));
    expect(v.orders.size).toBe(0);
  });
  it("a REST read replaces the view; events that arrived while it was out are applied again on top", () => {
    const before = apply(EMPTY_ACCOUNT, accountUpdate([{ s: "ETHUSDT", pa: "1" }], 50, "5000"));
    const during = [algoUpdate("CANCELED"), accountUpdate([{ s: "BTCUSDT", pa: "0.02" }], 400, "4999")].map((event) => ({ event, at: 1 }));
    const v = rebaseOnRest({ positions: [btcLong], orders: [stop] }, before, during);
    expect([...v.positions.keys()]).toEqual(["BTCUSDT|long"]); // ETH closed meanwhile: REST does not list it
    expect(v.positions.get("BTCUSDT|long")?.size).toBe(0.02);
    expect(v.orders.size).toBe(0);
    expect(v.walletBalance).toBe(4999);
  });
  it("REST lists only open orders in the view", () => {
    expect(rest([], [stop, { ...stop, id: "8", status: "canceled" }]).orders.size).toBe(1);
  });
});

describe("stream confirmation", () => {
  const healthy = { connected: true, lastAliveAt: 1_000, refreshedSinceConnect: true };
  it("is confirmed while the stream answers within the gap", () => {
    expect(accountConfirmation(healthy, 4_000, 3_000)).toEqual({ confirmed: true, reason: null });
  });
  it("is unconfirmed past the gap, when disconnected, and after a reconnect until the REST refresh", () => {
    expect(accountConfirmation(healthy, 4_001, 3_000).reason).toMatch(/silent for 3001 ms \(limit 3000 ms\)/);
    expect(accountConfirmation({ ...healthy, connected: false }, 1_000, 3_000).confirmed).toBe(false);
    expect(accountConfirmation({ ...healthy, refreshedSinceConnect: false }, 1_000, 3_000).reason).toMatch(/waiting for the REST refresh/);
    expect(accountConfirmation({ ...healthy, lastAliveAt: null }, 1_000, 3_000).reason).toMatch(/never heard from/);
  });
});
