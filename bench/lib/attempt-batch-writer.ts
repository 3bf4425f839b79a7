// Batched persistence of gateway attempts (exit_order_attempt) for bulk recording: one
// multi-row INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING per batch, so the row
// count costs one round trip and one plan instead of one each. AttemptBatchWriter is a group
// commit: add() still resolves only once the row is stored (persist-before-send holds), but the
// concurrent callers that arrive while a batch is being written share the next statement.
import type pg from "pg";
import type { AttemptRecord, NewAttempt } from "../../worker/gateway/attempt-store";

const COLUMNS = `id, client_order_id AS "clientOrderId", outcome, exchange_order_id AS "exchangeOrderId", error, tries`;

export interface StoredAttempt {
  row: AttemptRecord;
  created: boolean;
}

/** Inserts every attempt whose client order id is new; returns each one's stored row, in order. */
export async function insertAttemptBatch(pool: pg.Pool, attempts: readonly NewAttempt[]): Promise<StoredAttempt[]> {
  if (attempts.length === 0) return [];
  const col = <T>(f: (a: NewAttempt) => T): T[] => attempts.map(f);
  const { rows } = await pool.query<AttemptRecord>(
    `INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, stop_price, reduce_only,
       client_order_id, decision_id, operational_state, toggle_version, leader_epoch, verdict, ownership_conflict, outcome, deny_reason)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::bool[],
       $10::text[], $11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::text[], $16::bool[], $17::text[], $18::text[])
     ON CONFLICT (client_order_id) DO NOTHING RETURNING ${COLUMNS}`,
    [
      col((a) => a.req.module), col((a) => a.req.kind), col((a) => a.req.symbol), col((a) => a.req.side), col((a) => a.req.positionSide),
      col((a) => a.req.orderType), col((a) => a.req.quantity), col((a) => a.req.stopPrice ?? null), col((a) => a.req.reduceOnly),
      col((a) => a.clientOrderId), col((a) => a.req.decisionId), col((a) => a.decision.state), col((a) => a.toggleVersion),
      col((a) => a.leaderEpoch), col((a) => a.decision.verdict), col((a) => a.decision.ownershipConflict), col((a) => a.outcome),
      col((a) => (a.decision.verdict === "deny" ? a.decision.reason : null)),
    ],
  );
  const fresh = new Map(rows.map((r) => [r.clientOrderId, r]));
  const missing = [...new Set(attempts.map((a) => a.clientOrderId).filter((id) => !fresh.has(id)))];
  const existing = new Map<string, AttemptRecord>();
  if (missing.length > 0) {
    const old = await pool.query<AttemptRecord>(`SELECT ${COLUMNS} FROM exit_order_attempt WHERE client_order_id = ANY($1::text[])`, [missing]);
    for (const r of old.rows) existing.set(r.clientOrderId, r);
  }
  // The first occurrence of a new id in this batch created it; any later one is a duplicate.
  const claimed = new Set<string>();
  return attempts.map((a) => {
    const mine = fresh.get(a.clientOrderId);
    if (mine && !claimed.has(a.clientOrderId)) {
      claimed.add(a.clientOrderId);
      return { row: mine, created: true };
    }
    const row = mine ?? existing.get(a.clientOrderId);
    if (!row) throw new Error(`attempt ${a.clientOrderId} was neither inserted nor found`);
    return { row, created: false };
  });
}

interface Pending {
  attempt: NewAttempt;
  resolve: (s: StoredAttempt) => void;
  reject: (err: unknown) => void;
}

export interface AttemptBatchWriterOptions {
  /** rows per statement at most */
  maxRows?: number;
}

/** Group commit: one statement in flight; callers arriving meanwhile form the next batch. */
export class AttemptBatchWriter {
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private readonly maxRows: number;

  constructor(private readonly pool: pg.Pool, opts: AttemptBatchWriterOptions = {}) {
    this.maxRows = opts.maxRows ?? 1000;
  }

  /** Resolves once the attempt is stored (or found stored before), like insertAttempt. */
  add(attempt: NewAttempt): Promise<StoredAttempt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ attempt, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Yield once so callers in the same tick join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxRows);
      try {
        const stored = await insertAttemptBatch(this.pool, batch.map((p) => p.attempt));
        batch.forEach((p, i) => p.resolve(stored[i]!));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.writing = null;
  }

  /** Waits until everything added so far is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }
}
