// Real PostgreSQL, as the runtime role (which may only read them and run the compaction): the
// running counts the status report reads (exit_order_attempt_tally, migration 0018) always sum to
// a count of the attempts themselves, whatever writes them: bulk and single inserts, an outcome
// settled later, a toggle version set afterwards, updates that change nothing counted, deletes, a
// truncate, compactions. And no writer waits for another: an uncommitted attempt of the same
// group holds nothing a second attempt or a compaction needs.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { compactAttemptTally, getExitMetricsWithLifetime } from "./get-exit-metrics";

let t: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  t = await createTestDatabase("attempttally");
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
  // Dropping the database at the end terminates connections still closing: not a test failure.
  pool.on("error", () => {});
});
afterAll(async () => {
  await pool?.end();
  await t?.drop();
});

/** `count` attempts in one statement; module, outcome, conflict and version cycle with the row number. */
async function insertMany(count: number, prefix: string): Promise<void> {
  await pool.query(
    `INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, reduce_only, client_order_id, decision_id,
       operational_state, toggle_version, verdict, ownership_conflict, outcome)
     SELECT (ARRAY['exit_executor','position_monitor','hybrid_tpsl'])[1 + i % 3], (ARRAY['sl','tp'])[1 + i % 2], 'BTCUSDT', 'sell', 'long',
            'STOP_MARKET', 1, true, $2 || i, 'd' || i, 'EXIT_BRAIN_V3_LIVE', CASE WHEN i % 5 = 0 THEN NULL ELSE 1 + i % 4 END,
            'allow', i % 7 = 0, (ARRAY['pending','placed','blocked','failed'])[1 + i % 4]
       FROM generate_series(1, $1) i`,
    [count, prefix],
  );
}

/** The counters and a recount of the attempts, both as "group -> n" (groups with none left out). */
async function countersAndRecount(): Promise<{ counters: Record<string, number>; recount: Record<string, number> }> {
  const read = async (sql: string) =>
    Object.fromEntries((await pool.query<{ k: string; n: string }>(sql)).rows.map((r) => [r.k, Number(r.n)]));
  return {
    counters: await read(`SELECT concat_ws('/', module, kind, outcome, ownership_conflict, toggle_version) AS k, sum(n) AS n
                            FROM exit_order_attempt_tally GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1`),
    recount: await read(`SELECT concat_ws('/', module, kind, outcome, ownership_conflict, COALESCE(toggle_version, 0)) AS k, count(*) AS n
                           FROM exit_order_attempt GROUP BY 1 ORDER BY 1`),
  };
}

async function expectCountersRight(): Promise<void> {
  const { counters, recount } = await countersAndRecount();
  expect(counters).toEqual(recount);
}

describe("exit_order_attempt_tally", () => {
  it("counts a bulk insert and single inserts through Prisma", async () => {
    await insertMany(1_000, "bulk-");
    await t.db.exitOrderAttempt.create({
      data: {
        module: "exit_executor", kind: "sl", outcome: "placed", symbol: "ETHUSDT", side: "sell", positionSide: "long", orderType: "STOP_MARKET",
        quantity: 1, reduceOnly: true, clientOrderId: "one", decisionId: "d-one", operationalState: "EXIT_BRAIN_V3_LIVE", verdict: "allow",
      },
    });
    await expectCountersRight();
    const { counters } = await countersAndRecount();
    expect(Object.values(counters).reduce((a, b) => a + b, 0)).toBe(1_001);
  });

  it("follows an outcome settled later, a version set later, and ignores updates of what it does not count", async () => {
    const before = await countersAndRecount();
    await pool.query(`UPDATE exit_order_attempt SET exchange_status = 'open', fee = 0.1, updated_at = now() WHERE client_order_id LIKE 'bulk-%'`);
    // the gateway's finish: every counted column in the SET list, only the outcome different
    await pool.query(`UPDATE exit_order_attempt SET outcome = 'placed', module = module, kind = kind, ownership_conflict = ownership_conflict,
                        toggle_version = toggle_version WHERE client_order_id = 'bulk-4'`);
    await pool.query(`UPDATE exit_order_attempt SET outcome = 'failed' WHERE outcome = 'pending' AND client_order_id LIKE 'bulk-1%'`);
    await pool.query(`UPDATE exit_order_attempt SET toggle_version = 9 WHERE toggle_version IS NULL AND client_order_id LIKE 'bulk-2%'`);
    const after = await countersAndRecount();
    expect(after.counters).toEqual(after.recount);
    expect(after.counters).not.toEqual(before.counters);
  });

  it("follows deletes and a truncate", async () => {
    await pool.query(`DELETE FROM exit_order_attempt WHERE client_order_id LIKE 'bulk-3%'`);
    await expectCountersRight();
    await t.ownerDb.$executeRawUnsafe(`TRUNCATE exit_order_attempt CASCADE`);
    expect((await pool.query(`SELECT count(*)::int AS n FROM exit_order_attempt_tally`)).rows[0].n).toBe(0);
    await insertMany(10, "again-");
    await expectCountersRight();
  });

  it("compaction folds the deltas into one row per group and keeps every sum", async () => {
    await insertMany(500, "fold-");
    await pool.query(`UPDATE exit_order_attempt SET outcome = 'placed' WHERE outcome = 'pending' AND client_order_id LIKE 'fold-%'`);
    const rows = async () => Number((await pool.query(`SELECT count(*) AS n FROM exit_order_attempt_tally`)).rows[0].n);
    const groups = Number((await pool.query(`SELECT count(*) AS n FROM (SELECT DISTINCT module, kind, outcome, ownership_conflict, toggle_version
                                                                         FROM exit_order_attempt_tally) g`)).rows[0].n);
    const before = await rows();
    expect(await compactAttemptTally(t.db)).toBe(before);
    expect(await rows()).toBeLessThanOrEqual(groups);
    expect(await rows()).toBeLessThan(before);
    await expectCountersRight();
  });

  it("no writer waits for another's uncommitted attempt of the same group, and neither does a compaction", async () => {
    const holder = await pool.connect();
    const other = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, reduce_only, client_order_id,
                            decision_id, operational_state, toggle_version, verdict, outcome)
                          VALUES ('exit_executor', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, true, 'held-open', 'd', 'EXIT_BRAIN_V3_LIVE', 2, 'allow', 'pending')`);
      // With a counter row per group these would queue behind the open transaction's counter
      // lock: lock_timeout turns any wait into an error (55P03) instead of a hang.
      await other.query("BEGIN");
      await other.query("SET LOCAL lock_timeout = '1s'");
      await other.query(`INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, reduce_only, client_order_id,
                           decision_id, operational_state, toggle_version, verdict, outcome)
                         VALUES ('exit_executor', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, true, 'not-waiting', 'd', 'EXIT_BRAIN_V3_LIVE', 2, 'allow', 'pending')`);
      await other.query(`UPDATE exit_order_attempt SET outcome = 'placed' WHERE client_order_id = 'not-waiting'`);
      await other.query("SELECT exit_order_attempt_tally_compact()");
      await other.query("COMMIT");
      // the open attempt's delta was not in the compaction's snapshot: it stays, and counts once
      await holder.query("COMMIT");
    } finally {
      holder.release();
      other.release();
    }
    await expectCountersRight();
    await compactAttemptTally(t.db);
    await expectCountersRight();
  });

  it("the runtime role reads the counters and cannot change them", async () => {
    await expect(pool.query(`UPDATE exit_order_attempt_tally SET n = n + 1`)).rejects.toThrow(/permission denied/);
    await expect(pool.query(`DELETE FROM exit_order_attempt_tally`)).rejects.toThrow(/permission denied/);
    await expect(pool.query(`INSERT INTO exit_order_attempt_tally (module, kind, outcome, ownership_conflict, toggle_version, n) VALUES ('m', 'k', 'placed', false, 1, 5)`)).rejects.toThrow(/permission denied/);
    await expectCountersRight();
  });

  it("the status report's lifetime and period blocks agree with the attempts", async () => {
    const { lifetime, window } = await getExitMetricsWithLifetime(t.db, { since: new Date(0), sinceVersion: 3 });
    const all = Number((await pool.query(`SELECT count(*) AS n FROM exit_order_attempt`)).rows[0].n);
    const period = Number((await pool.query(`SELECT count(*) AS n FROM exit_order_attempt WHERE toggle_version >= 3 OR toggle_version IS NULL`)).rows[0].n);
    expect(lifetime.total_exit_orders).toBe(all);
    expect(window.total_exit_orders).toBe(period);
    expect(window.total_exit_orders).toBeLessThan(all);
  });
});
