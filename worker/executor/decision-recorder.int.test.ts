// The recorder's unnest INSERT against real PostgreSQL: every column round-trips (over a pg pool
// and over the Prisma client's pool), and the per-minute rollup follows in the same statement.
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/core/exit-brain";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { DecisionContext } from "../../src/core/decisions";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { DecisionRecorder } from "./decision-recorder";

const log = pino({ level: "silent" });
const position: PositionSnapshot = { symbol: "BTCUSDT", side: "long", size: 2, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: null, unrealizedPnl: 2, openedAt: 1 };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const decisions: Decision[] = [
  { type: "hold", confidence: 0.25, reason: "Hold: tab\there, quote \" and back\\slash, {braces}, comma," },
  { type: "move_sl", newSl: 98.5, slReason: "breakeven", confidence: 0.75, reason: "SL adjustment (breakeven)" },
  { type: "partial_close", fraction: 0.5, ladderStep: 1, confidence: 0.5, reason: "Ladder step 1" },
  { type: "set_tp", newTp: 110, confidence: 1, reason: "TP set" },
  { type: "full_exit_now", exitReason: "shock", confidence: 0.9, reason: "Shock" },
];
const ctx = (i: number, mode: "SHADOW" | "LIVE" = "SHADOW"): DecisionContext => ({
  positionKey: `BTCUSDT:long:${i % 3}`, position, decision: decisions[i % decisions.length]!, mode, toggleVersion: i % 4 === 0 ? null : 7, at: T0 + i * 7_000,
});

let t: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  t = await createTestDatabase("recorder");
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  pool.on("error", () => {}); // the drop below terminates idle connections
});
afterAll(async () => {
  await pool?.end();
  await t?.drop();
});

describe("DecisionRecorder against PostgreSQL", () => {
  it("stores every field over a pg pool and over the Prisma client, and the rollup matches the rows", async () => {
    const viaPool = new DecisionRecorder({ db: t.db, pool, log, file: null, holdSample: 1, flushMs: 50, flushRows: 7, maxBatchRows: 5 });
    const viaPrisma = new DecisionRecorder({ db: t.db, log, file: null, holdSample: 1, flushMs: 50, flushRows: 500 });
    for (let i = 0; i < 40; i++) (i % 2 ? viaPool : viaPrisma).record(ctx(i, i % 5 ? "SHADOW" : "LIVE"));
    await Promise.all([viaPool.stop(), viaPrisma.stop()]);
    expect(viaPool.stats.rowsWritten + viaPrisma.stats.rowsWritten).toBe(40);

    const rows = await t.db.shadowDecision.findMany({ orderBy: { at: "asc" } });
    expect(rows).toHaveLength(40);
    rows.forEach((r, i) => {
      const d = decisions[i % decisions.length]!;
      expect(r).toMatchObject({
        at: new Date(T0 + i * 7_000), positionKey: `BTCUSDT:long:${i % 3}`, symbol: "BTCUSDT", side: "long", size: 2, entryPrice: 100, markPrice: 101,
        decisionType: d.type, confidence: d.confidence, reason: d.reason, mode: i % 5 ? "SHADOW" : "LIVE", toggleVersion: i % 4 === 0 ? null : 7n,
        newSl: d.type === "move_sl" ? 98.5 : null, slReason: d.type === "move_sl" ? "breakeven" : null, fraction: d.type === "partial_close" ? 0.5 : null,
        newTp: d.type === "set_tp" ? 110 : null, exitReason: d.type === "full_exit_now" ? "shock" : null,
      });
    });

    const raw = await t.db.$queryRaw<{ bucket: Date; decision_type: string; n: bigint; s: number }[]>`
      SELECT date_bin('1 minute', at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, decision_type, count(*) AS n, sum(confidence) AS s
        FROM shadow_decision GROUP BY 1, 2 ORDER BY 1, 2`;
    const rollup = await t.db.shadowDecisionMinute.findMany({ orderBy: [{ bucket: "asc" }, { decisionType: "asc" }] });
    expect(rollup.map((r) => [r.bucket, r.decisionType, r.n])).toEqual(raw.map((r) => [r.bucket, r.decision_type, r.n]));
    rollup.forEach((r, i) => expect(r.sumConfidence).toBeCloseTo(raw[i]!.s, 9));

    // deletes and truncation keep it exact too
    await t.db.shadowDecision.deleteMany({ where: { decisionType: "hold" } });
    const n = await t.db.shadowDecisionMinute.aggregate({ _sum: { n: true }, where: { decisionType: "hold" } });
    expect(n._sum.n ?? 0n).toBe(0n);
    expect((await t.db.shadowDecisionMinute.aggregate({ _sum: { n: true } }))._sum.n).toBe(32n);
    await t.db.$executeRaw`TRUNCATE shadow_decision`;
    expect(await t.db.shadowDecisionMinute.count()).toBe(0);
  });

  it("two statements in flight on the same minute buckets: every row stored, the rollup exact, no failed write", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const counted = {
      query: async (sql: string, params: unknown[]) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await pool.query(sql, params);
        } finally {
          inFlight--;
        }
      },
    };
    const r = new DecisionRecorder({ db: t.db, pool: counted, log, file: null, holdSample: 1, flushMs: 50, flushRows: 50, maxBatchRows: 50 });
    const T1 = Date.UTC(2026, 0, 2, 9, 0, 0);
    for (let chunk = 0; chunk < 40; chunk++) {
      for (let i = 0; i < 50; i++) {
        const k = chunk * 50 + i;
        r.record({ ...ctx(k), at: T1 + (k % 120) * 1_000 }); // two minutes, every batch hits both
      }
      await new Promise((res) => setImmediate(res));
    }
    await r.stop();
    expect(maxInFlight).toBe(2);
    expect(r.stats).toMatchObject({ rowsWritten: 2_000, writeFailures: 0, dropped: 0 });
    const stored = await t.db.shadowDecision.count({ where: { at: { gte: new Date(T1) } } });
    expect(stored).toBe(2_000);
    const rollup = await t.db.shadowDecisionMinute.aggregate({ _sum: { n: true }, where: { bucket: { gte: new Date(T1) } } });
    expect(rollup._sum.n).toBe(2_000n);
  });
});
