// What the gateway needs from an exchange: place one reduce-only exit order under a given client
// order id, cancel an order, find an order by that id (after a timeout), and say what kind of
// failure an error is.
// The ccxt exchange port is adapted to this (worker/gateway/venue-from-exchange.ts).
import type { ExitOrderType, OrderSide } from "../../src/core/gateway/exit-order-request";

export interface VenueOrder {
  symbol: string;
  side: OrderSide;
  type: ExitOrderType;
  quantity: number;
  stopPrice?: number | null;
  callbackRate?: number | null;
  reduceOnly: true;
  clientOrderId: string;
  /** the decision the client order id was derived from */
  decisionId: string;
}

export interface VenuePlaced {
  exchangeOrderId: string;
  clientOrderId: string;
  /** what the venue said of the order when it answered (open = resting); unknown if it did not say */
  status?: "open" | "closed" | "canceled" | "expired" | "rejected" | "unknown";
}

export type FailureClass = "retryable" | "timeout" | "duplicate" | "permanent";

export interface VenueFailure {
  kind: FailureClass;
  message: string;
  /** server-advised wait before retrying (429 Retry-After), ms */
  retryAfterMs?: number;
}

/** An order to cancel: by exchange id or client order id. */
export interface VenueOrderRef {
  symbol: string;
  conditional: boolean;
  id?: string;
  clientOrderId?: string;
}

export interface ExitVenue {
  clientOrderIdFor(decisionId: string): string;
  placeExitOrder(order: VenueOrder): Promise<VenuePlaced>;
  /** resolves "gone" when the venue no longer has the order (filled, cancelled) */
  cancelOrder(ref: VenueOrderRef): Promise<"cancelled" | "gone">;
  findOrderByClientId(symbol: string, clientOrderId: string, conditional: boolean): Promise<VenuePlaced | null>;
  classifyFailure(err: unknown): VenueFailure;
}
