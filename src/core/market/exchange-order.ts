// An order on the venue as the worker sees it: the one shape the exchange port returns (REST,
// worker/exchange/ccxt-mappers.ts) and the account view keeps (user-data stream,
// src/core/account/account-view.ts), with the mappings both sources share.
import type { OrderSide } from "../gateway/exit-order-request";
import type { AlgoStatus } from "../watchdog/stop-lifecycle";

export const EXCHANGE_ORDER_TYPES = ["MARKET", "LIMIT", "STOP_MARKET", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"] as const;
export type ExchangeOrderType = (typeof EXCHANGE_ORDER_TYPES)[number] | "OTHER";
export type ExchangeOrderStatus = "open" | "closed" | "canceled" | "expired" | "rejected" | "unknown";

export interface ExchangeOrder {
  id: string;
  clientOrderId: string | null;
  symbol: string;
  side: OrderSide;
  /** the position side it acts on: BOTH in one-way mode, LONG/SHORT in hedge mode; null if the venue did not say */
  positionSide?: "BOTH" | "LONG" | "SHORT" | null;
  type: ExchangeOrderType;
  /** a conditional (algo) order: stop, take-profit, trailing */
  conditional: boolean;
  /**
   * open: resting, or (conditional) fired and still working (algoStatus TRIGGERING/TRIGGERED);
   * closed: done — for a conditional order, FINISHED with a fill (`filled` says how much);
   * expired: ended without doing anything, including a conditional order FINISHED without a fill;
   * unknown: FINISHED with no executed quantity in the payload, or a state this code does not know.
   */
  status: ExchangeOrderStatus;
  /** conditional orders: Binance's algo state as sent (ccxt folds it into status); null otherwise */
  algoStatus?: AlgoStatus | null;
  /**
   * conditional orders in TRIGGERING/TRIGGERED: when this worker first saw them firing (its own
   * clock, ms), for the unprotected-position rule's "firing for more than a few seconds"
   */
  triggeringSince?: number | null;
  quantity: number | null;
  filled: number;
  averagePrice: number | null;
  triggerPrice: number | null;
  /** can only reduce: reduceOnly or closePosition (one-way), or the closing side of its position side (hedge mode) */
  reduceOnly: boolean;
  closePosition: boolean;
  timestamp: number | null;
}

const KNOWN_TYPES = new Set<string>(EXCHANGE_ORDER_TYPES);

/** Binance's order type as sent; anything else (LIMIT_MAKER, a new type) is OTHER. */
export function exchangeOrderTypeOf(raw: string | null | undefined): ExchangeOrderType {
  return raw && KNOWN_TYPES.has(raw) ? (raw as ExchangeOrderType) : "OTHER";
}

/**
 * Binance's algo lifecycle → the order's status. TRIGGERING and TRIGGERED still work (the order
 * placed at the trigger has not filled yet); FINISHED is closed only with a fill, expired without
 * one, unknown when the payload did not say how much executed (the position may be as
 * unprotected as before).
 */
export function algoOrderStatus(s: AlgoStatus, executedQty: number | null): ExchangeOrderStatus {
  switch (s) {
    case "NEW":
    case "TRIGGERING":
    case "TRIGGERED":
      return "open";
    case "FINISHED":
      return executedQty === null ? "unknown" : executedQty > 0 ? "closed" : "expired";
    case "CANCELED":
      return "canceled";
    case "EXPIRED":
      return "expired";
    case "REJECTED":
      return "rejected";
  }
}
