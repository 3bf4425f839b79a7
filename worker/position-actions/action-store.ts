// The worker's side of position_action: claim the next request, record each step, finish it, and
// append the audit row of each outcome. Plain SQL on the worker's pool.
import type pg from "pg";
import type { ActionStep, PositionActionKind } from "../../src/core/positions/position-action";

export interface ClaimedAction {
  id: number;
  kind: PositionActionKind;
  symbol: string;
  positionSide: "long" | "short";
  requestedBy: string;
  reason: string;
}

/** Takes the oldest request (no other worker can take it: SKIP LOCKED + status change). */
export async function claimNextAction(pool: pg.Pool, epoch: number | null): Promise<ClaimedAction | null> {
  const { rows } = await pool.query<ClaimedAction & { id: string }>(
    `UPDATE position_action SET status = 'running', started_at = now(), updated_at = now(), leader_epoch = $1
      WHERE id = (SELECT id FROM position_action WHERE status = 'requested' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, symbol, position_side AS "positionSide", requested_by AS "requestedBy", reason`,
    [epoch],
  );
  const r = rows[0];
  return r ? { ...r, id: Number(r.id) } : null;
}

export async function addStep(pool: pg.Pool, id: number, step: Omit<ActionStep, "at">): Promise<void> {
  const full: ActionStep = { at: new Date().toISOString(), ...step };
  await pool.query(`UPDATE position_action SET steps = steps || $2::jsonb, updated_at = now() WHERE id = $1`, [id, JSON.stringify([full])]);
}

export async function finishAction(pool: pg.Pool, a: ClaimedAction, outcome: { ok: true } | { ok: false; error: string }): Promise<void> {
  await pool.query(
    `WITH done AS (
       UPDATE position_action SET status = $2, error = $3, finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'running' RETURNING id)
     INSERT INTO position_action_audit (action_id, actor, kind, symbol, position_side, reason, event)
     SELECT id, 'worker', $4, $5, $6, $7, $8 FROM done`,
    [a.id, outcome.ok ? "done" : "failed", outcome.ok ? null : outcome.error, a.kind, a.symbol, a.positionSide, a.reason, outcome.ok ? "done" : `failed: ${outcome.error}`],
  );
}

/**
 * Actions left running by a worker that is no longer the leader, or silent for two minutes (a
 * single worker restarted mid-way; one action's steps take seconds): failed, with what to do.
 * Called only between actions, so never on the caller's own running action. The steps it recorded say how far it got; nothing is retried blindly.
 */
export async function failOrphanedActions(pool: pg.Pool, epoch: number | null): Promise<number> {
  const { rows } = await pool.query<{ id: string; kind: string; symbol: string; side: string; reason: string }>(
    `UPDATE position_action SET status = 'failed', finished_at = now(), updated_at = now(),
            error = 'the worker carrying it out stopped before it finished; see its steps, check the position and its orders, and ask again if needed'
      WHERE status = 'running' AND (leader_epoch IS DISTINCT FROM $1 OR updated_at < now() - interval '2 minutes')
      RETURNING id, kind, symbol, position_side AS side, reason`,
    [epoch],
  );
  for (const r of rows) {
    await pool.query(
      `INSERT INTO position_action_audit (action_id, actor, kind, symbol, position_side, reason, event) VALUES ($1, 'worker', $2, $3, $4, $5, 'failed: worker stopped mid-way')`,
      [r.id, r.kind, r.symbol, r.side, r.reason],
    );
  }
  return rows.length;
}

export async function recordHandback(pool: pg.Pool, a: ClaimedAction): Promise<void> {
  await pool.query(
    `INSERT INTO position_handback (symbol, position_side, action_id) VALUES ($1, $2, $3) ON CONFLICT (symbol, position_side) DO NOTHING`,
    [a.symbol, a.positionSide, a.id],
  );
}

export async function removeHandback(pool: pg.Pool, symbol: string, side: string): Promise<void> {
  await pool.query(`DELETE FROM position_handback WHERE symbol = $1 AND position_side = $2`, [symbol, side]);
}

/** Hand-backs of positions that are gone: a new position on the symbol starts under the normal rules. */
export async function forgetClosedHandbacks(pool: pg.Pool, open: readonly { symbol: string; side: string }[]): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM position_handback h WHERE NOT EXISTS (
       SELECT 1 FROM unnest($1::text[], $2::text[]) AS o(symbol, side) WHERE o.symbol = h.symbol AND o.side = h.position_side)`,
    [open.map((p) => p.symbol), open.map((p) => p.side)],
  );
  return rowCount ?? 0;
}

/** Client order ids of the executor's orders among these. */
export async function executorOrderIds(pool: pg.Pool, clientOrderIds: readonly string[]): Promise<Set<string>> {
  if (clientOrderIds.length === 0) return new Set();
  const { rows } = await pool.query<{ id: string }>(
    `SELECT client_order_id AS id FROM exit_order_attempt WHERE module = 'exit_executor' AND client_order_id = ANY($1::text[])`,
    [clientOrderIds],
  );
  return new Set(rows.map((r) => r.id));
}
