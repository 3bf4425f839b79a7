// Adapts the ccxt exchange port to what the gateway needs. The port must be created with
// maxSubmitAttempts: 1: the gateway owns retries, because it re-checks the committed toggle
// state before every send (a retry inside the port would skip that check).
import type { ExitOrderType } from "../../src/core/gateway/exit-order-request";
import { ExchangePortError } from "../exchange/classify-error";
import { clientOrderIdFor } from "../exchange/client-order-id";
import type { ExchangePort, ExitOrderKind } from "../exchange/exchange-port";
import type { ExitVenue, VenueFailure, VenueOrder, VenuePlaced } from "./exit-venue";

const KIND: Record<ExitOrderType, ExitOrderKind> = {
  MARKET: "close",
  STOP_MARKET: "stop",
  TAKE_PROFIT_MARKET: "take_profit",
  TRAILING_STOP_MARKET: "trailing_stop",
};

export function venueFromExchange(port: ExchangePort): ExitVenue {
  return {
    // The port derives the same id from the request id (the decision id), so both agree.
    clientOrderIdFor,
    async placeExitOrder(o: VenueOrder): Promise<VenuePlaced> {
      const placed = await port.placeExitOrder({
        requestId: o.decisionId,
        symbol: o.symbol,
        kind: KIND[o.type],
        side: o.side,
        quantity: o.quantity,
        triggerPrice: o.type === "STOP_MARKET" || o.type === "TAKE_PROFIT_MARKET" ? (o.stopPrice ?? undefined) : undefined,
        callbackRatePct: o.type === "TRAILING_STOP_MARKET" ? (o.callbackRate ?? undefined) : undefined,
        reduceOnly: true,
      });
      if (placed.clientOrderId !== o.clientOrderId) {
        // Both sides hash the same decision id; a mismatch would break idempotency, so stop here.
        throw new ExchangePortError("refused", false, `client order id mismatch (${placed.clientOrderId} != ${o.clientOrderId}); order ${placed.order.id} needs a look`);
      }
      return { exchangeOrderId: placed.order.id, clientOrderId: placed.clientOrderId, status: placed.order.status };
    },
    async cancelOrder(ref) {
      try {
        await port.cancelOrder(ref);
        return "cancelled";
      } catch (err) {
        if (err instanceof ExchangePortError && err.kind === "order_not_found") return "gone";
        throw err;
      }
    },
    async findOrderByClientId(symbol, clientOrderId, conditional) {
      const found = await port.fetchOrderByClientId(symbol, clientOrderId, conditional);
      return found ? { exchangeOrderId: found.id, clientOrderId, status: found.status } : null;
    },
    classifyFailure(err: unknown): VenueFailure {
      if (!(err instanceof ExchangePortError)) {
        return { kind: "permanent", message: err instanceof Error ? err.message : String(err) };
      }
      const retryAfterMs = err.retryAfterMs ?? undefined;
      if (err.kind === "duplicate") return { kind: "duplicate", message: err.message };
      if (err.outcomeUnknown) return { kind: "timeout", message: err.message, retryAfterMs };
      if (err.retryable) return { kind: "retryable", message: err.message, retryAfterMs };
      return { kind: "permanent", message: err.message };
    },
  };
}
