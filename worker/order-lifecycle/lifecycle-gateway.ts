// The gateway as every module uses it, plus the lifecycle's "cancelled by whom, why": a cancel the
// gateway carried out is recorded on the order at once with the module and reason the caller gave
// (the recorder would otherwise only learn, later, that the order is gone). Orders and the checks
// are the gateway's own; this only adds the record after the fact.
import type pg from "pg";
import { cancelledThroughGateway } from "../../src/core/orders/order-lifecycle";
import type { Logger } from "../../src/server/logger";
import type { CancelRequest, CancelResult, ExitOrderGateway } from "../gateway/exit-order-gateway";
import { applyLifecycleChange, attemptOfRef } from "./lifecycle-store";

export type OrderGateway = Pick<ExitOrderGateway, "submit" | "cancel" | "sendDeadlineMs">;

export function withCancelRecords(gateway: ExitOrderGateway, pool: pg.Pool, log: Logger): OrderGateway {
  return {
    submit: (req, under) => gateway.submit(req, under),
    get sendDeadlineMs() {
      return gateway.sendDeadlineMs;
    },
    async cancel(c: CancelRequest): Promise<CancelResult> {
      const result = await gateway.cancel(c);
      if (result.outcome === "cancelled") await recordCancel(pool, c, log);
      return result;
    },
  };
}

/** Records a cancel sent through the gateway on the order it names (if it is one of ours). */
export async function recordCancel(pool: pg.Pool, c: CancelRequest, log: Logger): Promise<void> {
  try {
    const attempt = await attemptOfRef(pool, c.ref);
    if (!attempt) return; // not an order this system placed (e.g. an orphan left by hand)
    const change = cancelledThroughGateway(attempt.exchangeStatus, { by: c.module, reason: c.reason });
    if (change) await applyLifecycleChange(pool, attempt.id, attempt.exchangeStatus, change);
  } catch (err) {
    // The cancel happened; only its record failed. The recorder will still see the order gone.
    log.warn({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_ORDERS] could not record the cancel of ${c.ref.symbol} ${c.ref.id ?? c.ref.clientOrderId ?? "?"}`);
  }
}
