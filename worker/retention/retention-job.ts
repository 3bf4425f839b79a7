// Applies the retention policy (src/core/retention/retention-policy.ts) to the database, in a way
// that never blocks the gateway:
// - its own connection (never the gateway's pool), short statement and lock timeouts, so a lock it
//   cannot get is given up and retried at the next run instead of queueing others behind it;
// - shadow_decision expires by dropping whole day partitions (migration 0011's SECURITY DEFINER
//   functions: the runtime role may not create or drop tables itself); partitions for today and
//   the days ahead are created here too;
// - every other table (and the default partition) expires by DELETE in small batches
//   (`ctid IN (SELECT ctid ... LIMIT n)`), with a pause between two, each its own short statement;
// - exit_order_attempt is only batch-deleted (its shape belongs to the gateway), never an attempt
//   still pending;
// - audit tables are not touched: there is no code path here that names one.
// One run at a time across workers (a session advisory lock), so an HA pair never doubles the work.
import pg from "pg";
import {
  cutoffOf,
  dayOfPartition,
  planDayPartitions,
  type RetentionPolicy,
} from "../../src/core/retention/retention-policy";

export const RETENTION_LOCK_KEY = 7_311_020_019;

/** The batch-deleted tables and what makes a row expired; fixed SQL, nothing from input. */
const BATCHED = {
  exit_order_attempt: { policy: "exitOrderAttemptDays", where: `created_at < $1 AND outcome <> 'pending'` },
  worker_heartbeat: { policy: "heartbeatDays", where: `beat_at < $1` },
  position_safety: { policy: "safetySampleDays", where: `seen_at < $1` },
  account_pnl: { policy: "accountPnlDays", where: `day < ($1::timestamptz AT TIME ZONE 'UTC')::date` },
  market_candle: { policy: "marketCandleDays", where: `open_time < $1` },
  shadow_decision_default: { policy: "shadowDecisionDays", where: `at < $1` },
} as const satisfies Record<string, { policy: keyof RetentionPolicy; where: string }>;

export type RetentionTable = keyof typeof BATCHED;

export interface RetentionRunResult {
  /** false: another worker holds the retention lock; nothing done */
  ran: boolean;
  partitionsCreated: string[];
  partitionsDropped: string[];
  deleted: Record<RetentionTable, number>;
  /** one line per step that failed (retried at the next run) */
  errors: string[];
}

export interface RetentionJobOptions {
  connectionString: string;
  policy: RetentionPolicy;
  batchRows: number;
  batchPauseMs: number;
  /** injected clock (tests, the benchmark's compressed year) */
  now?: () => number;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RetentionJob {
  private client: pg.Client | null = null;
  private stopped = false;

  constructor(private readonly o: RetentionJobOptions) {}

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const c = new pg.Client({
      connectionString: this.o.connectionString,
      application_name: "exit-brain-retention",
      statement_timeout: this.o.statementTimeoutMs ?? 15_000,
      lock_timeout: this.o.lockTimeoutMs ?? 1_000,
    });
    c.on("error", () => {
      if (this.client === c) this.client = null;
    });
    await c.connect();
    this.client = c;
    return c;
  }

  /** Stops between two batches; the current statement finishes. */
  stop(): void {
    this.stopped = true;
  }

  async close(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  /** The day partitions of shadow_decision that exist (YYYY-MM-DD). */
  async partitionDays(): Promise<string[]> {
    const c = await this.connection();
    const { rows } = await c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.shadow_decision'::regclass ORDER BY 1`,
    );
    return rows.map((r) => dayOfPartition("shadow_decision", r.name)).filter((d): d is string => d !== null);
  }

  async run(): Promise<RetentionRunResult> {
    this.stopped = false;
    const nowMs = (this.o.now ?? Date.now)();
    const result: RetentionRunResult = {
      ran: false,
      partitionsCreated: [],
      partitionsDropped: [],
      deleted: { exit_order_attempt: 0, worker_heartbeat: 0, position_safety: 0, account_pnl: 0, market_candle: 0, shadow_decision_default: 0 },
      errors: [],
    };
    let c: pg.Client;
    try {
      c = await this.connection();
    } catch (err) {
      result.errors.push(`cannot connect: ${message(err)}`);
      return result;
    }
    const { rows: lock } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [RETENTION_LOCK_KEY]);
    if (!lock[0]?.ok) return result;
    result.ran = true;
    try {
      const plan = planDayPartitions(nowMs, await this.partitionDays(), this.o.policy.shadowDecisionDays, this.o.policy.partitionsAheadDays);
      for (const day of plan.create) {
        try {
          const { rows } = await c.query<{ created: boolean }>("SELECT shadow_decision_partition_create($1::date) AS created", [day]);
          if (rows[0]?.created) result.partitionsCreated.push(day);
        } catch (err) {
          result.errors.push(`creating the shadow_decision partition of ${day}: ${message(err)}`);
        }
      }
      for (const day of plan.drop) {
        if (this.stopped) break;
        try {
          const { rows } = await c.query<{ dropped: boolean }>("SELECT shadow_decision_partition_drop($1::date) AS dropped", [day]);
          if (rows[0]?.dropped) result.partitionsDropped.push(day);
        } catch (err) {
          result.errors.push(`dropping the shadow_decision partition of ${day}: ${message(err)}`);
        }
      }
      for (const [table, spec] of Object.entries(BATCHED) as [RetentionTable, (typeof BATCHED)[RetentionTable]][]) {
        const cutoff = cutoffOf(nowMs, this.o.policy[spec.policy]);
        if (!cutoff || this.stopped) continue;
        try {
          result.deleted[table] = await this.deleteInBatches(c, table, spec.where, cutoff);
        } catch (err) {
          result.errors.push(`expiring ${table} rows before ${cutoff.toISOString()}: ${message(err)}`);
        }
      }
    } finally {
      await c.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]).catch(() => {});
    }
    return result;
  }

  private async deleteInBatches(c: pg.Client, table: RetentionTable, where: string, cutoff: Date): Promise<number> {
    const limit = Math.max(1, this.o.batchRows);
    let total = 0;
    for (;;) {
      const r = await c.query(`DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${where} LIMIT ${limit})`, [cutoff.toISOString()]);
      const n = r.rowCount ?? 0;
      total += n;
      if (n < limit || this.stopped) return total;
      if (this.o.batchPauseMs > 0) await sleep(this.o.batchPauseMs);
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
