// Real PostgreSQL, as the runtime role (which may only read them): the running counts the status report reads
// (exit_order_attempt_tally, migration 0018) always equal a count of the attempts themselves,
// whatever writes them: bulk and single inserts, an outcome settled later, a toggle version set
// afterwards, updates that change nothing counted, deletes, a truncate; and two attempts moving
// between the same two groups in opposite directions at once do not deadlock.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { getExitMetricsWithLifetime } from "./get-exit-metrics";

let t: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  t = await createTestDatabase("attempttally");
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
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
    counters: await read(`SELECT concat_ws('/', module, kind, outcome, ownership_conflict, toggle_version) AS k, n FROM exit_order_attempt_tally WHERE n <> 0 ORDER BY 1`),
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
    expect((await pool.query(`SELECT count(*)::int AS n FROM exit_order_attempt_tally WHERE n <> 0`)).rows[0].n).toBe(0);
    await insertMany(10, "again-");
    await expectCountersRight();
  });

  it("two attempts moving between the same two groups in opposite directions at once do not deadlock", async () => {
    for (const [id, outcome] of [["x-1", "placed"], ["y-1", "failed"]]) {
      await pool.query(`INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, reduce_only, client_order_id,
                          decision_id, operational_state, toggle_version, verdict, outcome)
                        VALUES ('exit_executor', 'tp', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, true, $1, 'd', 'EXIT_BRAIN_V3_LIVE', 2, 'allow', $2)`, [id, outcome]);
    }
    // A third writer holds both counters; the two flips queue behind it, and when it commits both
    // wake at once. Taken in a fixed order, one flip waits for the other; taken old-group-first,
    // each would hold one counter and wait for the other's (PostgreSQL aborts one: 40P01).
    // (as the owner: the runtime role may not lock the counters, FOR UPDATE needs UPDATE)
    const holder = new pg.Client({ connectionString: t.ownerUrl });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT n FROM exit_order_attempt_tally WHERE module = 'exit_executor' AND kind = 'tp' AND toggle_version = 2
                            AND NOT ownership_conflict AND outcome IN ('placed', 'failed') FOR UPDATE`);
      const flips = [
        pool.query(`UPDATE exit_order_attempt SET outcome = 'failed' WHERE client_order_id = 'x-1'`),
        pool.query(`UPDATE exit_order_attempt SET outcome = 'placed' WHERE client_order_id = 'y-1'`),
      ].map((p) => p.then(() => "ok", (e: { code?: string }) => e.code ?? "error"));
      // Sessions of this database waiting for a lock (pg_stat_activity hides other roles' waits;
      // pg_locks does not, and its row-lock waits carry no database)
      const waiting = async () => Number((await pool.query<{ n: string }>(
        `SELECT count(DISTINCT l.pid) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database()`)).rows[0]!.n);
      for (let i = 0; i < 200 && (await waiting()) < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await waiting()).toBe(2);
      await holder.query("COMMIT");
      expect(await Promise.all(flips)).toEqual(["ok", "ok"]);
    } finally {
      await holder.end();
    }
    await expectCountersRight();
  });

  it("the runtime role reads the counters and cannot change them", async () => {
    await expect(pool.query(`UPDATE exit_order_attempt_tally SET n = n + 1`)).rejects.toThrow(/permission denied/);
    await expect(pool.query(`DELETE FROM exit_order_attempt_tally`)).rejects.toThrow(/permission denied/);
    await expect(pool.query(`INSERT INTO exit_order_attempt_tally VALUES ('m', 'k', 'placed', false, 1, 5)`)).rejects.toThrow(/permission denied/);
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
