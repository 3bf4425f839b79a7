// LIVE: carries out one planned decision. Every order action goes through the gateway, cancels
// included (each checked against the committed toggle state and fenced by the leader term):
//   1. place the new order (the gateway dedupes by decision id);
//   2. confirm it: the venue must have answered that it rests (open) or already filled (closed).
//      A stop placed only "maybe" (found after a timeout in another state, or no status) is not
//      enough to remove the old one;
//   3. only then cancel the orders it replaces. A cancel the gateway refuses (a kill switch
//      committed meanwhile) leaves the old stop resting next to the new one: both are reduce-only,
//      so the position has two stops for a while, never none.
// A cancel that finds the order already gone (filled or cancelled) is not an error.
import type { Side } from "../../src/core/market/types";
import type { Logger } from "../../src/server/logger";
import type { OrderRef } from "../exchange/exchange-port";
import type { DecidedUnder, ExitOrderGateway, GatewayResult } from "../gateway/exit-order-gateway";
import { EXECUTOR_MODULE } from "../../src/core/gateway/modules";
import type { LivePlan } from "./plan-live-actions";

export interface CarryOutDeps {
  gateway: Pick<ExitOrderGateway, "submit" | "cancel">;
  log: Logger;
  under: DecidedUnder;
}

export interface CarriedOut {
  placed: boolean;
  /** the gateway's outcome for the order, null when the plan had none */
  outcome: GatewayResult["outcome"] | null;
  /** the placed order, for a later cancel */
  placedRef: OrderRef | null;
  /** failures worth counting (a block by the gateway is a decision, not an error) */
  errors: number;
}

export async function carryOutPlan(d: CarryOutDeps, plan: LivePlan, position: { symbol: string; side: Side }): Promise<CarriedOut> {
  const req = plan.submit;
  if (!req) return { placed: false, outcome: null, placedRef: null, errors: 0 };
  const res = await d.gateway.submit(req, d.under);
  if (res.outcome !== "placed") {
    d.log.warn(`[EXIT_BRAIN_LIVE] ${req.kind} ${req.orderType} for ${position.symbol} ${position.side} not placed (${res.outcome}): ${res.error ?? "no reason given"}`);
    return { placed: false, outcome: res.outcome, placedRef: null, errors: res.outcome === "blocked" ? 0 : 1 };
  }
  const placedRef: OrderRef = res.exchangeOrderId
    ? { symbol: req.symbol, conditional: req.orderType !== "MARKET", id: res.exchangeOrderId }
    : { symbol: req.symbol, conditional: req.orderType !== "MARKET", clientOrderId: res.clientOrderId };
  const confirmed = res.exchangeStatus === "open" || res.exchangeStatus === "closed";
  if (!confirmed && plan.cancelAfterPlaced.length > 0) {
    d.log.warn(`[EXIT_BRAIN_LIVE] ${req.kind} for ${position.symbol} placed but not confirmed resting (venue status ${res.exchangeStatus ?? "unknown"}): the orders it replaces stay`);
    return { placed: true, outcome: res.outcome, placedRef, errors: 0 };
  }
  let errors = 0;
  for (const ref of plan.cancelAfterPlaced) {
    if ((ref.id && ref.id === res.exchangeOrderId) || (ref.clientOrderId && ref.clientOrderId === res.clientOrderId)) continue;
    const c = await d.gateway.cancel({ module: EXECUTOR_MODULE, ref, leaderEpoch: d.under.leaderEpoch ?? null, reason: `replaced by ${req.kind} ${res.exchangeOrderId ?? res.clientOrderId}` });
    if (c.outcome === "cancelled") d.log.info(`[EXIT_BRAIN_LIVE] Cancelled replaced order ${ref.id ?? ref.clientOrderId} for ${position.symbol} ${position.side}`);
    else if (c.outcome === "blocked") {
      // The state changed under us (kill switch): the executor stops touching orders; all stay.
      d.log.warn(`[EXIT_BRAIN_LIVE] not cancelling ${ref.id ?? ref.clientOrderId} for ${position.symbol}: ${c.error ?? "refused"}; it stays on the exchange`);
      break;
    } else if (c.outcome === "failed") {
      errors++;
      d.log.warn({ err: c.error }, `[EXIT_BRAIN_LIVE] could not cancel ${ref.id ?? ref.clientOrderId} for ${position.symbol}; it stays on the exchange`);
    }
  }
  return { placed: true, outcome: res.outcome, placedRef, errors };
}
