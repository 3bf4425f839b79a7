// Persists gateway attempts (exit_order_attempt). Plain SQL over the gateway's own pool: it sits
// on the order path and must not wait behind other work.
import type pg from "pg";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import type { GatewayDecision } from "../../src/core/gateway/gateway-rules";

export type Outcome = "pending" | "placed" | "blocked" | "rejected" | "failed";

export interface AttemptRecord {
  id: number;
  clientOrderId: string;
  outcome: Outcome;
  exchangeOrderId: string | null;
  error: string | null;
  tries: number;
}

export interface NewAttempt {
  req: ExitOrderRequest;
  clientOrderId: string;
  decision: GatewayDecision;
  toggleVersion: number | null;
  leaderEpoch: number | null;
  outcome: Outcome;
}

const COLUMNS = `id, client_order_id AS "clientOrderId", outcome, exchange_order_id AS "exchangeOrderId", error, tries`;

/** Inserts the attempt unless one exists for this client order id; returns the stored row and whether it is new. */
export async function insertAttempt(pool: pg.Pool, a: NewAttempt): Promise<{ row: AttemptRecord; created: boolean }> {
  const r = a.req;
  const { rows } = await pool.query<AttemptRecord>(
    `INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, stop_price, reduce_only,
       client_order_id, decision_id, operational_state, toggle_version, leader_epoch, verdict, ownership_conflict, outcome, deny_reason)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
     ON CONFLICT (client_order_id) DO NOTHING RETURNING ${COLUMNS}`,
    [r.module, r.kind, r.symbol, r.side, r.positionSide, r.orderType, r.quantity, r.stopPrice ?? null, r.reduceOnly,
      a.clientOrderId, r.decisionId, a.decision.state, a.toggleVersion, a.leaderEpoch, a.decision.verdict, a.decision.ownershipConflict,
      a.outcome, a.decision.verdict === "deny" ? a.decision.reason : null],
  );
  if (rows[0]) return { row: rows[0], created: true };
  const existing = await pool.query<AttemptRecord>(`SELECT ${COLUMNS} FROM exit_order_attempt WHERE client_order_id = $1`, [a.clientOrderId]);
  return { row: existing.rows[0]!, created: false };
}

export async function finishAttempt(
  pool: pg.Pool,
  id: number,
  f: {
    outcome: Outcome; exchangeOrderId?: string | null; error?: string | null; tries: number; state?: string;
    toggleVersion?: number | null; denyReason?: string | null; verdict?: string; ownershipConflict?: boolean;
  },
): Promise<void> {
  await pool.query(
    `UPDATE exit_order_attempt SET outcome = $2, exchange_order_id = COALESCE($3, exchange_order_id), error = $4, tries = $5,
        operational_state = COALESCE($6, operational_state), toggle_version = COALESCE($7, toggle_version),
        deny_reason = COALESCE($8, deny_reason), verdict = COALESCE($9, verdict),
        ownership_conflict = COALESCE($10, ownership_conflict), updated_at = now()
      WHERE id = $1`,
    [id, f.outcome, f.exchangeOrderId ?? null, f.error ?? null, f.tries, f.state ?? null, f.toggleVersion ?? null, f.denyReason ?? null,
      f.verdict ?? null, f.ownershipConflict ?? null],
  );
}

/**
 * Records the pre-send check on the attempt before the send (its own short statement, committed
 * before any request leaves): what it read and until when this send may land. The worker's
 * "in flight at kill switch" listing and the fault suite read these columns.
 */
export async function recordCheck(
  pool: pg.Pool,
  id: number,
  c: { checkedAt: Date; version: number | null; epoch: number | null; sendMs: number },
): Promise<void> {
  await pool.query(
    `UPDATE exit_order_attempt SET checked_at = $2, checked_version = $3, checked_epoch = $4,
        send_deadline_at = $2::timestamptz + $5::int * interval '1 millisecond', updated_at = now() WHERE id = $1`,
    [id, c.checkedAt, c.version, c.epoch, Math.ceil(c.sendMs)],
  );
}
