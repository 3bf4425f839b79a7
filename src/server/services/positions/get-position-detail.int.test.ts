// The position page's data on a real database: candles folded with the levels in force at each bar
// (legacy's from its order attempts, Exit Brain's from its decisions), P&L in money and %, realized
// from filled exit orders minus fees, and the bounds (the newest page of decisions; older pages by cursor).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { getPositionDetail, MAX_BARS } from "./get-position-detail";
import { DECISIONS_PAGE, listPositionDecisions } from "./position-decisions";

let t: TestDatabase;
// The candles end now: a real exchange, whose clock is the wall clock.
const T0 = Math.floor((Date.now() - 2_000 * 300_000) / 300_000) * 300_000;
const key = `BTCUSDT:long:${T0}`;

beforeAll(async () => {
  t = await createTestDatabase("positiondetail");
  await t.db.positionSafety.create({
    data: { symbol: "BTCUSDT", positionSide: "long", size: 0.5, entryPrice: 50_000, markPrice: 51_000, unrealizedPnl: 500, protected: true, dualPosition: false, stopPrice: 49_000, seenAt: new Date(T0 + 3_600_000) },
  });
  await t.db.marketCandle.createMany({
    data: Array.from({ length: 2_000 }, (_, i) => ({ symbol: "BTCUSDT", timeframe: "5m", openTime: new Date(T0 + i * 300_000), open: 50_000 + i, high: 50_010 + i, low: 49_990 + i, close: 50_005 + i, volume: 1 })),
  });
  await t.db.shadowDecision.createMany({
    data: Array.from({ length: 1_200 }, (_, i) => ({
      at: new Date(T0 + i * 60_000), positionKey: key, symbol: "BTCUSDT", side: "long", size: 0.5, entryPrice: 50_000, markPrice: 50_500, pnlPct: 1,
      decisionType: i === 600 ? "move_sl" : "hold", confidence: 0.7, reason: "test", newSl: i === 600 ? 50_200 : null, mode: "SHADOW",
    })),
  });
  const attempt = (module: string, kind: string, stopPrice: number | null, at: number, over: Record<string, unknown> = {}) => ({
    createdAt: new Date(at), module, kind, symbol: "BTCUSDT", side: "sell", positionSide: "long", orderType: stopPrice === null ? "MARKET" : "STOP_MARKET", quantity: 0.25,
    stopPrice, reduceOnly: true, clientOrderId: `c-${module}-${kind}-${at}`, decisionId: `d-${at}`, operationalState: "EXIT_BRAIN_V3_SHADOW", verdict: "allow", outcome: "placed", ...over,
  });
  await t.db.exitOrderAttempt.createMany({
    data: [
      attempt("position_monitor", "sl", 49_000, T0 + 60_000, { exchangeStatus: "open" }),
      attempt("position_monitor", "tp", 52_000, T0 + 60_000, { exchangeStatus: "open" }),
      attempt("exit_executor", "partial_tp", 51_000, T0 + 7_200_000, { exchangeStatus: "filled", filledQuantity: 0.25, fillPrice: 51_000, fee: 5 }),
    ],
  });
});
afterAll(async () => t?.drop());

describe("getPositionDetail", () => {
  it("folds the candles, draws each level from when it was set, and counts P&L", async () => {
    const d = await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "long" } });
    expect(d.positionKey).toBe(key);
    expect(d.chart.candles).toBe(2_000);
    expect(d.chart.bars.length).toBeLessThanOrEqual(MAX_BARS);
    expect(d.chart.bars[0]!.legacySl).toBe(49_000); // set within the first bar
    expect(d.chart.bars[0]!.brainSl).toBeNull(); // Exit Brain moved its stop at minute 600
    expect(d.chart.bars.at(-1)!.brainSl).toBe(50_200);
    expect(d.latest).toEqual({ legacySl: 49_000, legacyTp: 52_000, brainSl: 50_200, brainTp: null });
    // the right edge ("now", after the last candle) carries the levels in force; legacy's from its orders
    expect(d.chart.edge).toEqual({ t: T0 + 2_000 * 300_000, legacySl: 49_000, legacyTp: 52_000, brainSl: 50_200, brainTp: null });
    expect(d.chart.legacyFrom).toBe("orders");
    expect(d.pnl.unrealized).toBe(500);
    expect(d.pnl.unrealizedPct).toBeCloseTo(2);
    expect(d.pnl.realized).toBeCloseTo(0.25 * 1_000 - 5); // partial take-profit at 51,000 minus the fee
    expect(d.decisions.rows).toHaveLength(DECISIONS_PAGE);
    expect(d.decisions.rows[0]!.at.getTime()).toBe(T0 + 1_199 * 60_000); // newest first
    expect(d.decisionCount).toBe(1_200);
    expect(d.orders).toHaveLength(3);
  });

  it("a legacy level with no order recorded is drawn from legacy's rule, the other from its order", async () => {
    // Seen in the browser test on a LIVE run: legacy's target recorded, its stop not; the stop line was missing.
    const ethKey = `ETHUSDT:short:${T0}`;
    await t.db.positionSafety.create({
      data: { symbol: "ETHUSDT", positionSide: "short", size: 2, entryPrice: 3_000, markPrice: 2_990, unrealizedPnl: 20, protected: true, dualPosition: false, stopPrice: null, seenAt: new Date(T0 + 60_000) },
    });
    await t.db.marketCandle.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({ symbol: "ETHUSDT", timeframe: "5m", openTime: new Date(T0 + i * 300_000), open: 3_000, high: 3_010, low: 2_990, close: 3_000, volume: 1 })),
    });
    await t.db.shadowDecision.create({
      data: { at: new Date(T0 + 60_000), positionKey: ethKey, symbol: "ETHUSDT", side: "short", size: 2, entryPrice: 3_000, markPrice: 2_990, pnlPct: 0.3, decisionType: "hold", confidence: 0.5, reason: "test", mode: "LIVE" },
    });
    await t.db.exitOrderAttempt.create({
      data: {
        createdAt: new Date(T0 + 60_000), module: "position_monitor", kind: "tp", symbol: "ETHUSDT", side: "buy", positionSide: "short", orderType: "TAKE_PROFIT_MARKET", quantity: 2,
        stopPrice: 2_800, reduceOnly: true, clientOrderId: "c-eth-tp", decisionId: "d-eth-tp", operationalState: "EXIT_BRAIN_V3_LIVE", verdict: "allow", outcome: "placed", exchangeStatus: "open",
      },
    });
    const d = await getPositionDetail(t.db, { id: { symbol: "ETHUSDT", positionSide: "short" } });
    expect(d.legacyRule.sl).not.toBeNull();
    expect(d.chart.legacyFrom).toBe("orders-and-rule");
    expect(d.chart.edge).toMatchObject({ legacySl: d.legacyRule.sl, legacyTp: 2_800 });
    expect(d.chart.bars.at(-1)).toMatchObject({ legacySl: d.legacyRule.sl, legacyTp: 2_800 });
  });

  it("older decisions page by cursor: every decision once, newest first, a page unchanged by new decisions at the head", async () => {
    const d = await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "long" } });
    const seen = [...d.decisions.rows];
    let cursor = d.decisions.older;
    const second = cursor ? await listPositionDecisions(t.db, { positionKey: key, before: cursor }) : null;
    while (cursor) {
      const page = await listPositionDecisions(t.db, { positionKey: key, before: cursor });
      seen.push(...page.rows);
      cursor = page.older;
    }
    expect(seen).toHaveLength(1_200);
    expect(new Set(seen.map((x) => x.id)).size).toBe(1_200);
    expect(seen.map((x) => x.at.getTime())).toEqual(Array.from({ length: 1_200 }, (_, i) => T0 + (1_199 - i) * 60_000));
    // A decision arriving at the head moves the newest page, not an older one.
    const arrived = await t.db.shadowDecision.create({
      data: { at: new Date(T0 + 1_200 * 60_000), positionKey: key, symbol: "BTCUSDT", side: "long", size: 0.5, entryPrice: 50_000, markPrice: 50_500, pnlPct: 1, decisionType: "hold", confidence: 0.7, reason: "test", mode: "SHADOW" },
    });
    try {
      expect((await listPositionDecisions(t.db, { positionKey: key, before: d.decisions.older! })).rows.map((x) => x.id)).toEqual(second!.rows.map((x) => x.id));
      expect((await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "long" } })).decisions.rows[0]!.id).toBe(Number(arrived.id));
    } finally {
      await t.db.shadowDecision.deleteMany({ where: { id: arrived.id } });
    }
  });

  it("a position never seen is an empty page, not an error", async () => {
    const d = await getPositionDetail(t.db, { id: { symbol: "XRPUSDT", positionSide: "short" } });
    expect(d).toMatchObject({ position: null, positionKey: null, decisions: { rows: [], older: null }, chart: { candles: 0, bars: [], edge: null } });
  });
});
