// What rests on the exchange now, per position, on a real database: only open, triggered and
// not-yet-seen placed orders; the oldest few listed per position and all of them counted, so a
// position with hundreds recorded "open" sends six, not hundreds, to the page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { restingByPosition, RESTING_SHOWN_PER_POSITION } from "./resting-orders";

let t: TestDatabase;
const T0 = Date.UTC(2026, 10, 1);
let next = 0;
const attempt = (symbol: string, positionSide: string, over: Record<string, unknown> = {}) => ({
  createdAt: new Date(T0 + next * 1_000), module: "exit_executor", kind: "sl", symbol, side: positionSide === "long" ? "sell" : "buy", positionSide, orderType: "STOP_MARKET",
  quantity: 0.1, stopPrice: 40_000 + next, reduceOnly: true, clientOrderId: `c-${next}`, decisionId: `d-${next++}`, operationalState: "EXIT_BRAIN_V3_LIVE", verdict: "allow",
  outcome: "placed", exchangeStatus: "open", ...over,
});

beforeAll(async () => {
  t = await createTestDatabase("restingorders");
  await t.db.exitOrderAttempt.createMany({
    data: [
      // BTCUSDT long: 200 recorded open (a lifecycle not yet refreshed), one triggered, one unseen.
      ...Array.from({ length: 200 }, () => attempt("BTCUSDT", "long")),
      attempt("BTCUSDT", "long", { exchangeStatus: "triggered" }),
      attempt("BTCUSDT", "long", { exchangeStatus: null }),
      // not resting: filled, cancelled, expired, and blocked (never sent)
      attempt("BTCUSDT", "long", { exchangeStatus: "filled" }),
      attempt("BTCUSDT", "long", { exchangeStatus: "cancelled" }),
      attempt("BTCUSDT", "long", { exchangeStatus: "expired" }),
      attempt("BTCUSDT", "long", { outcome: "blocked", exchangeStatus: null }),
      // the other side of the same symbol (hedge mode) and another symbol
      attempt("BTCUSDT", "short", { kind: "tp", orderType: "TAKE_PROFIT_MARKET" }),
      attempt("ETHUSDT", "long"),
      attempt("ETHUSDT", "long", { exchangeStatus: "triggered" }),
    ],
  });
});
afterAll(async () => t?.drop());

describe("restingByPosition", () => {
  it("lists the oldest few per position and counts them all", async () => {
    const groups = await restingByPosition(t.db);
    expect(groups.map((g) => [g.symbol, g.positionSide, g.total, g.orders.length])).toEqual([
      ["BTCUSDT", "long", 202, RESTING_SHOWN_PER_POSITION],
      ["BTCUSDT", "short", 1, 1],
      ["ETHUSDT", "long", 2, 2],
    ]);
    const btc = groups[0]!;
    expect(btc.orders.map((o) => o.id)).toEqual([...btc.orders.map((o) => o.id)].sort((a, b) => a - b));
    expect(btc.orders.every((o) => o.symbol === "BTCUSDT" && o.positionSide === "long" && o.exchangeStatus === "open")).toBe(true);
    expect(groups[2]!.orders.map((o) => o.exchangeStatus)).toEqual(["open", "triggered"]);
  });

  it("filters by symbol and side, and answers nothing when nothing rests", async () => {
    expect((await restingByPosition(t.db, { symbol: "BTCUSDT", positionSide: "short" })).map((g) => [g.positionSide, g.orders[0]!.kind])).toEqual([["short", "tp"]]);
    expect((await restingByPosition(t.db, { symbol: "BTCUSDT" })).map((g) => g.positionSide)).toEqual(["long", "short"]);
    expect(await restingByPosition(t.db, { symbol: "XRPUSDT" })).toEqual([]);
  });

  it("a larger page per position when asked (the unseen order is counted and listed last)", async () => {
    const [btc] = await restingByPosition(t.db, { symbol: "BTCUSDT", positionSide: "long" }, 500);
    expect(btc!.orders).toHaveLength(202);
    expect(btc!.orders.at(-1)!.exchangeStatus).toBeNull();
  });
});
