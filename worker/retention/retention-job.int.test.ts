// Retention against the real database (migration 0011), with the clock injected: rows past
// retention go, rows inside stay, the audit trail survives, whole-day partitions are dropped (and
// the per-minute rollup keeps their counts), partitions are created ahead, and rows that landed in
// the default partition move into their day's partition when it is created.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { DAY_MS, DEFAULT_RETENTION, utcDay } from "../../src/core/retention/retention-policy";
import { RetentionJob } from "./retention-job";

let t: TestDatabase;
let c: pg.Client;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY_MS);

beforeAll(async () => {
  t = await createTestDatabase("retention");
  c = new pg.Client({ connectionString: t.url });
  await c.connect();
});
afterAll(async () => {
  await c?.end();
  await t?.drop();
});

async function decision(at: Date, type = "hold"): Promise<void> {
  await c.query(
    `INSERT INTO shadow_decision (at, position_key, symbol, side, size, entry_price, mark_price, pnl_pct, decision_type, confidence, reason, mode)
     VALUES ($1, 'BTCUSDT:long:1', 'BTCUSDT', 'long', 1, 100, 101, 1, $2, 0.5, 'r', 'SHADOW')`,
    [at, type],
  );
}

let attemptN = 0;
async function attempt(at: Date, outcome: string): Promise<void> {
  await c.query(
    `INSERT INTO exit_order_attempt (created_at, updated_at, module, kind, symbol, side, position_side, order_type, quantity, reduce_only,
                                     client_order_id, decision_id, operational_state, verdict, outcome)
     VALUES ($1, $1, 'legacy_sl', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 1, true, $2, $2, 'LEGACY', 'allow', $3)`,
    [at, `ret-${++attemptN}`, outcome],
  );
}

const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await c.query<{ n: string }>(sql, params)).rows[0]!.n);

describe("RetentionJob (injected now)", () => {
  it("expires each kind of data by its own retention, never the audit trail, and drops whole-day partitions", async () => {
    // shadow_decision: a day partition 100 days ago (past 90) and one 50 days ago (inside)
    await c.query("SELECT shadow_decision_partition_create($1::date)", [utcDay(NOW - 100 * DAY_MS)]);
    await c.query("SELECT shadow_decision_partition_create($1::date)", [utcDay(NOW - 50 * DAY_MS)]);
    const oldDay = new Date(Date.parse(`${utcDay(NOW - 100 * DAY_MS)}T12:00:00Z`));
    for (let k = 0; k < 5; k++) await decision(new Date(oldDay.getTime() + k * 60_000));
    await decision(ago(50));
    // rows without a day partition go to the default one: 200 days ago (expired), 60 days ago (kept)
    await decision(ago(200), "move_sl");
    await decision(ago(60), "move_sl");
    const rollupBefore = await count(`SELECT coalesce(sum(n), 0) AS n FROM shadow_decision_minute`);
    expect(rollupBefore).toBe(8);

    // exit order attempts: 1 year
    await attempt(ago(400), "placed");
    await attempt(ago(400), "rejected");
    await attempt(ago(400), "pending"); // still pending: never expired
    await attempt(ago(300), "placed");
    // heartbeats / safety samples: 7 days; account_pnl: 400 days
    await c.query(`INSERT INTO worker_heartbeat (worker_id, pid, hostname, started_at, beat_at) VALUES ('gone', 1, 'h', $1, $1), ('alive', 2, 'h', $2, $2)`, [ago(8), ago(0)]);
    await c.query(
      `INSERT INTO position_safety (symbol, position_side, size, entry_price, mark_price, unrealized_pnl, protected, dual_position, seen_at)
       VALUES ('OLDUSDT', 'long', 1, 1, 1, 0, true, false, $1), ('BTCUSDT', 'long', 1, 1, 1, 0, true, false, $2)`,
      [ago(10), ago(0)],
    );
    await c.query(`INSERT INTO account_pnl (day, asset, starting_balance, current_balance) VALUES ($1::date, 'USDT', 1, 1), ($2::date, 'USDT', 1, 1)`, [
      utcDay(NOW - 500 * DAY_MS),
      utcDay(NOW - 10 * DAY_MS),
    ]);
    // market_candle (the position page's chart): 90 days
    await c.query(
      `INSERT INTO market_candle (symbol, timeframe, open_time, open, high, low, close, volume)
       VALUES ('BTCUSDT', '5m', $1, 1, 1, 1, 1, 1), ('BTCUSDT', '5m', $2, 1, 1, 1, 1, 1), ('BTCUSDT', '5m', $3, 1, 1, 1, 1, 1)`,
      [ago(120), ago(91), ago(30)],
    );
    // an audit row ten years old
    await c.query(`INSERT INTO user_audit (at, actor, source, action, target_email) VALUES ($1, 'system', 'system', 'add', 'old@example.com')`, [ago(3650)]);
    const auditBefore = await count(`SELECT count(*) AS n FROM user_audit`);
    const toggleAuditBefore = await count(`SELECT count(*) AS n FROM toggle_audit`);

    const job = new RetentionJob({ connectionString: t.url, policy: DEFAULT_RETENTION, batchRows: 1, batchPauseMs: 0, now: () => NOW });
    const r = await job.run();
    await job.close();

    expect(r.errors).toEqual([]);
    expect(r.ran).toBe(true);
    expect(r.partitionsDropped).toEqual([utcDay(NOW - 100 * DAY_MS)]);
    expect(r.deleted).toEqual({ exit_order_attempt: 2, worker_heartbeat: 1, position_safety: 1, account_pnl: 1, market_candle: 2, shadow_decision_default: 1 });

    // shadow_decision: the 100-day partition is gone (not deleted row by row), the rest stays
    const partitions = (await c.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'shadow_decision'::regclass`)).rows.map((x) => x.name);
    expect(partitions).not.toContain(`shadow_decision_p${utcDay(NOW - 100 * DAY_MS).replaceAll("-", "")}`);
    expect(partitions).toContain(`shadow_decision_p${utcDay(NOW - 50 * DAY_MS).replaceAll("-", "")}`);
    expect(await count(`SELECT count(*) AS n FROM shadow_decision`)).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM shadow_decision WHERE at < $1`, [ago(90)])).toBe(0);
    // the per-minute rollup is kept forever: the expired days still count
    expect(await count(`SELECT coalesce(sum(n), 0) AS n FROM shadow_decision_minute`)).toBe(rollupBefore);
    // partitions for today and the days ahead exist
    for (let k = 0; k <= DEFAULT_RETENTION.partitionsAheadDays; k++) expect(partitions).toContain(`shadow_decision_p${utcDay(NOW + k * DAY_MS).replaceAll("-", "")}`);

    // the rest: past retention gone, inside kept, pending attempt kept
    expect((await c.query<{ outcome: string }>(`SELECT outcome FROM exit_order_attempt ORDER BY created_at, outcome`)).rows.map((x) => x.outcome)).toEqual(["pending", "placed"]);
    expect((await c.query<{ worker_id: string }>(`SELECT worker_id FROM worker_heartbeat`)).rows).toEqual([{ worker_id: "alive" }]);
    expect((await c.query<{ symbol: string }>(`SELECT symbol FROM position_safety`)).rows).toEqual([{ symbol: "BTCUSDT" }]);
    expect(await count(`SELECT count(*) AS n FROM account_pnl`)).toBe(1);
    expect((await c.query<{ t: Date }>(`SELECT open_time AS t FROM market_candle`)).rows.map((x) => x.t.getTime())).toEqual([ago(30).getTime()]);
    // the audit trail is untouched, and the runtime role could not delete it anyway
    expect(await count(`SELECT count(*) AS n FROM user_audit`)).toBe(auditBefore);
    expect(await count(`SELECT count(*) AS n FROM toggle_audit`)).toBe(toggleAuditBefore);
    await expect(c.query(`DELETE FROM user_audit`)).rejects.toThrow();
    expect(await count(`SELECT count(*) AS n FROM user_audit WHERE at < $1`, [ago(3000)])).toBe(1);

    // a second run has nothing left to do
    const again = new RetentionJob({ connectionString: t.url, policy: DEFAULT_RETENTION, batchRows: 1, batchPauseMs: 0, now: () => NOW });
    const r2 = await again.run();
    await again.close();
    expect(r2.partitionsDropped).toEqual([]);
    expect(Object.values(r2.deleted).every((n) => n === 0)).toBe(true);
  });

  it("creates a day's partition ahead and moves that day's rows out of the default partition", async () => {
    const future = NOW + 12 * DAY_MS;
    await decision(new Date(future));
    expect(await count(`SELECT count(*) AS n FROM shadow_decision_default WHERE at >= $1`, [new Date(future - 1)])).toBe(1);
    const rollup = await count(`SELECT coalesce(sum(n), 0) AS n FROM shadow_decision_minute`);
    const job = new RetentionJob({ connectionString: t.url, policy: { ...DEFAULT_RETENTION, partitionsAheadDays: 14 }, batchRows: 100, batchPauseMs: 0, now: () => NOW });
    const r = await job.run();
    await job.close();
    expect(r.errors).toEqual([]);
    expect(r.partitionsCreated).toContain(utcDay(future));
    const part = `shadow_decision_p${utcDay(future).replaceAll("-", "")}`;
    // (read through the parent: the runtime role has no privilege on a partition itself, and needs none)
    expect((await c.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM shadow_decision WHERE at >= $1`, [new Date(future - 1)])).rows).toEqual([{ part }]);
    expect(await count(`SELECT count(*) AS n FROM shadow_decision_default WHERE at >= $1`, [new Date(future - 1)])).toBe(0);
    expect(await count(`SELECT coalesce(sum(n), 0) AS n FROM shadow_decision_minute`)).toBe(rollup);
  });

  it("creating a day's partition while a row for that day is being written into the default partition: the row moves, no refusal", async () => {
    const day = utcDay(NOW + 20 * DAY_MS);
    const writer = new pg.Client({ connectionString: t.url });
    await writer.connect();
    try {
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO shadow_decision (at, position_key, symbol, side, size, entry_price, mark_price, pnl_pct, decision_type, confidence, reason, mode)
         VALUES ($1, 'k', 'BTCUSDT', 'long', 1, 1, 1, 0, 'hold', 0.5, 'r', 'SHADOW')`,
        [new Date(`${day}T06:00:00Z`)],
      );
      const creating = c.query<{ created: boolean }>("SELECT shadow_decision_partition_create($1::date) AS created", [day]);
      await new Promise((r) => setTimeout(r, 300)); // the create now waits for the writer (it locked the default partition first)
      await writer.query("COMMIT");
      expect((await creating).rows[0]!.created).toBe(true);
    } finally {
      await writer.end();
    }
    const part = `shadow_decision_p${day.replaceAll("-", "")}`;
    expect((await c.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM shadow_decision WHERE at = $1`, [new Date(`${day}T06:00:00Z`)])).rows).toEqual([{ part }]);
  });

  it("the partition functions refuse what they are not for", async () => {
    await expect(c.query("SELECT shadow_decision_partition_drop($1::date)", [utcDay(NOW)])).rejects.toThrow(/never dropped/);
    await expect(c.query("SELECT shadow_decision_partition_drop($1::date)", [utcDay(NOW - DAY_MS)])).rejects.toThrow(/never dropped/);
    await expect(c.query("SELECT shadow_decision_partition_create($1::date)", ["1999-12-31"])).rejects.toThrow(/not a day to create/);
    // nothing but a shadow_decision day partition: a name that is not one is simply not there
    expect((await c.query<{ d: boolean }>("SELECT shadow_decision_partition_drop($1::date) AS d", [utcDay(NOW - 400 * DAY_MS)])).rows[0]!.d).toBe(false);
    const { rows } = await c.query<{ prosecdef: boolean; proconfig: string[] }>(
      `SELECT prosecdef, proconfig FROM pg_proc WHERE proname IN ('shadow_decision_partition_create', 'shadow_decision_partition_drop') ORDER BY proname`,
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.prosecdef).toBe(true);
      expect(r.proconfig).toContain("search_path=pg_catalog, pg_temp");
    }
  });

  it("one run at a time: a second job finds the lock taken and does nothing", async () => {
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(7311020019)");
      const job = new RetentionJob({ connectionString: t.url, policy: DEFAULT_RETENTION, batchRows: 100, batchPauseMs: 0, now: () => NOW });
      const r = await job.run();
      await job.close();
      expect(r.ran).toBe(false);
    } finally {
      await holder.end();
    }
  });
});
