// Before a new leader acts: settle what a previous worker left half-done. Attempts still
// "pending" (the worker died between send and answer) are looked up on the exchange by their
// deterministic client order id and marked placed or failed; exit orders left for symbols that
// no longer have a position (orphans) are cancelled. Stops of open positions are never touched:
// they are what kept the positions protected while no worker ran.
import type pg from "pg";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import { finishAttempt } from "../gateway/attempt-store";
import type { AccountSnapshot } from "../market/exchange-snapshot";

export interface ReconcileResult {
  pendingResolved: { placed: number; failed: number };
  orphansCancelled: number;
}

export async function reconcileWithExchange(
  pool: pg.Pool,
  port: Pick<ExchangePort, "fetchOrderByClientId" | "cancelOrder">,
  account: AccountSnapshot,
  log: Logger,
): Promise<ReconcileResult> {
  const result: ReconcileResult = { pendingResolved: { placed: 0, failed: 0 }, orphansCancelled: 0 };
  const { rows } = await pool.query<{ id: string; symbol: string; clientOrderId: string; orderType: string; tries: number }>(
    `SELECT id, symbol, client_order_id AS "clientOrderId", order_type AS "orderType", tries FROM exit_order_attempt WHERE outcome = 'pending'`,
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
  const open = new Set(account.positions.map((p) => p.symbol));
  for (const o of account.openOrders) {
    if (open.has(o.symbol) || !(o.reduceOnly || o.closePosition)) continue;
    try {
      await port.cancelOrder({ symbol: o.symbol, conditional: o.conditional, id: o.id });
      result.orphansCancelled++;
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, `[WORKER] could not cancel orphaned ${o.type} ${o.id} on ${o.symbol}`);
    }
  }
  log.info(`[WORKER] reconciled with the exchange: pending attempts ${result.pendingResolved.placed} placed / ${result.pendingResolved.failed} failed, ${result.orphansCancelled} orphaned exit orders cancelled`);
  return result;
}
