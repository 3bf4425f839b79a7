// Writes an order's lifecycle changes (exit_order_attempt's exchange_* columns and one
// exit_order_event row per change) in one statement, and only if the status is still the one the
// change was decided from: two writers (the recorder and a cancel through the gateway) can never
// record a stale change over a newer one.
import type pg from "pg";
import type { LifecycleChange, LifecycleStatus } from "../../src/core/orders/order-lifecycle";

export interface TrackedOrder {
  id: number;
  symbol: string;
  module: string;
  orderType: string;
  clientOrderId: string;
  exchangeOrderId: string | null;
  exchangeStatus: LifecycleStatus | null;
  /** when the attempt row last changed, ms since epoch (database clock) */
  updatedAtMs: number;
}

const TRACKED_COLUMNS = `id::int AS id, symbol, module, order_type AS "orderType", client_order_id AS "clientOrderId",
  exchange_order_id AS "exchangeOrderId", exchange_status AS "exchangeStatus",
  (extract(epoch FROM updated_at) * 1000)::float8 AS "updatedAtMs"`;

/** Placed orders whose life on the exchange is not over (oldest first, bounded). */
export async function trackedOrders(pool: pg.Pool, limit = 500): Promise<TrackedOrder[]> {
  const { rows } = await pool.query<TrackedOrder>(
    `SELECT ${TRACKED_COLUMNS} FROM exit_order_attempt
      WHERE outcome = 'placed' AND (exchange_status IS NULL OR exchange_status IN ('open', 'triggered'))
      ORDER BY id LIMIT $1`,
    [limit],
  );
  return rows;
}

/** The attempt a cancel reference names (exchange id or client order id), if it is one of ours. */
export async function attemptOfRef(pool: pg.Pool, ref: { symbol: string; id?: string; clientOrderId?: string }): Promise<TrackedOrder | null> {
  const { rows } = await pool.query<TrackedOrder>(
    `SELECT ${TRACKED_COLUMNS} FROM exit_order_attempt
      WHERE symbol = $1 AND (($2::text IS NOT NULL AND exchange_order_id = $2) OR ($3::text IS NOT NULL AND client_order_id = $3))
      ORDER BY id DESC LIMIT 1`,
    [ref.symbol, ref.id ?? null, ref.clientOrderId ?? null],
  );
  return rows[0] ?? null;
}

/** Applies one change if the row is still in `from`; true when it was written. */
export async function applyLifecycleChange(pool: pg.Pool, attemptId: number, from: LifecycleStatus | null, c: LifecycleChange): Promise<boolean> {
  const { rowCount } = await pool.query(
    `WITH changed AS (
       UPDATE exit_order_attempt SET exchange_status = $3, exchange_status_at = now(),
              filled_quantity = COALESCE($4, filled_quantity), fill_price = COALESCE($5, fill_price),
              fee = COALESCE($6, fee), fee_asset = COALESCE($7, fee_asset),
              cancelled_by = COALESCE($8, cancelled_by), cancel_reason = COALESCE($9, cancel_reason)
        WHERE id = $1 AND exchange_status IS NOT DISTINCT FROM $2::text
        RETURNING id)
     INSERT INTO exit_order_event (attempt_id, status, detail) SELECT id, $3, $10 FROM changed`,
    [attemptId, from, c.status, c.filledQuantity ?? null, c.fillPrice ?? null, c.fee ?? null, c.feeAsset ?? null, c.cancelledBy ?? null, c.cancelReason ?? null, c.detail],
  );
  return (rowCount ?? 0) > 0;
}
