// Before a new leader acts: settle what a previous worker left half-done. Attempts still
// "pending" whose send deadline has passed (the worker died between send and answer) are looked
// up on the exchange by their deterministic client order id and marked placed or failed; exit
// orders left for symbols that no longer have a position (orphans) are cancelled through the
// gateway (fenced by this leader's term, checked against the committed state). The snapshot the
// caller passes may be seconds old, so positions are fetched again right before any cancel: an
// order of a position opened meanwhile is never taken for an orphan. Stops of open positions are
// never touched: they are what kept the positions protected while no worker ran.
import type pg from "pg";
import { RECONCILE_MODULE } from "../../src/core/gateway/cancel-rules";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import { finishAttempt } from "../gateway/attempt-store";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { AccountSnapshot } from "./exchange-snapshot";

export interface ReconcileResult {
  pendingResolved: { placed: number; failed: number };
  orphansCancelled: number;
}

export interface ReconcileDeps {
  pool: pg.Pool;
  port: Pick<ExchangePort, "fetchOrderByClientId" | "fetchPositions">;
  gateway: Pick<ExitOrderGateway, "cancel">;
  log: Logger;
  /** the term this reconciliation runs under (fencing); null when HA is not used */
  leaderEpoch: number | null;
}

export async function reconcileWithExchange(d: ReconcileDeps, account: AccountSnapshot): Promise<ReconcileResult> {
  const { pool, port, log } = d;
  const result: ReconcileResult = { pendingResolved: { placed: 0, failed: 0 }, orphansCancelled: 0 };
  // A send still within its deadline is not left over: its own gateway call settles it.
  const { rows } = await pool.query<{ id: string; symbol: string; clientOrderId: string; orderType: string; tries: number }>(
    `SELECT id, symbol, client_order_id AS "clientOrderId", order_type AS "orderType", tries FROM exit_order_attempt
      WHERE outcome = 'pending' AND (send_deadline_at IS NULL OR send_deadline_at < clock_timestamp())`,
  );
  for (const a of rows) {
    const found = await port.fetchOrderByClientId(a.symbol, a.clientOrderId, a.orderType !== "MARKET").catch(() => null);
    if (found) {
      await finishAttempt(pool, Number(a.id), { outcome: "placed", exchangeOrderId: found.id, tries: a.tries });
      result.pendingResolved.placed++;
    } else {
      await finishAttempt(pool, Number(a.id), { outcome: "failed", error: "worker stopped before the exchange answered; not found on the exchange at reconciliation", tries: a.tries });
      result.pendingResolved.failed++;
    }
  }
  const inSnapshot = new Set(account.positions.map((p) => p.symbol));
  const candidates = account.openOrders.filter((o) => !inSnapshot.has(o.symbol) && (o.reduceOnly || o.closePosition));
  if (candidates.length > 0) {
    const now = new Set((await port.fetchPositions()).map((p) => p.symbol));
    for (const o of candidates) {
      if (now.has(o.symbol)) continue; // a position opened since the snapshot: its stop is not an orphan
      const c = await d.gateway.cancel({ module: RECONCILE_MODULE, ref: { symbol: o.symbol, conditional: o.conditional, id: o.id }, leaderEpoch: d.leaderEpoch, reason: "orphaned: no position" });
      if (c.outcome === "cancelled" || c.outcome === "gone") result.orphansCancelled++;
      else log.warn(`[WORKER] could not cancel orphaned ${o.type} ${o.id} on ${o.symbol} (${c.outcome}): ${c.error ?? "no reason"}`);
    }
  }
  log.info(`[WORKER] reconciled with the exchange: pending attempts ${result.pendingResolved.placed} placed / ${result.pendingResolved.failed} failed, ${result.orphansCancelled} orphaned exit orders cancelled`);
  return result;
}
