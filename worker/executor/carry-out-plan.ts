// LIVE: carries out one planned decision. The order goes through the gateway (which re-checks
// the committed toggle state and dedupes by decision id); the old orders are cancelled only
// once the new one is placed, so a stop is replaced, never removed first. A cancel that finds
// the order already gone (filled or cancelled) is not an error.
import type { Side } from "../../src/core/market/types";
import type { Logger } from "../../src/server/logger";
import { ExchangePortError } from "../exchange/classify-error";
import type { ExchangePort, OrderRef } from "../exchange/exchange-port";
import type { DecidedUnder, ExitOrderGateway, GatewayResult } from "../gateway/exit-order-gateway";
import type { LivePlan } from "./plan-live-actions";

export interface CarryOutDeps {
  gateway: Pick<ExitOrderGateway, "submit">;
  port: Pick<ExchangePort, "cancelOrder">;
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
  let errors = 0;
  for (const ref of plan.cancelAfterPlaced) {
    if ((ref.id && ref.id === res.exchangeOrderId) || (ref.clientOrderId && ref.clientOrderId === res.clientOrderId)) continue;
    try {
      await d.port.cancelOrder(ref);
      d.log.info(`[EXIT_BRAIN_LIVE] Cancelled replaced order ${ref.id ?? ref.clientOrderId} for ${position.symbol} ${position.side}`);
    } catch (err) {
      if (err instanceof ExchangePortError && err.kind === "order_not_found") continue;
      errors++;
      d.log.warn({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_BRAIN_LIVE] could not cancel ${ref.id ?? ref.clientOrderId} for ${position.symbol}; it stays on the exchange`);
    }
  }
  return { placed: true, outcome: res.outcome, placedRef, errors };
}
