// The worker's one contract with a futures venue (like a venue adapter): everything the
// executor, the legacy modules and the position/price source need, nothing more. Symbols are
// exchange ids (BTCUSDT). Errors are ExchangePortError (classify-error.ts): retryable or not.
import type { Candle, PositionSnapshot } from "../../src/core/market/types";
import type { AlgoStatus } from "../../src/core/watchdog/stop-lifecycle";

export type OrderSide = "buy" | "sell";
export type ExitOrderKind = "close" | "stop" | "take_profit" | "trailing_stop";
export type ExchangeOrderType = "MARKET" | "LIMIT" | "STOP_MARKET" | "TAKE_PROFIT_MARKET" | "TRAILING_STOP_MARKET" | "OTHER";
export type ExchangeOrderStatus = "open" | "closed" | "canceled" | "expired" | "rejected" | "unknown";

export interface MarketInfo {
  symbol: string;
  /** ccxt's unified symbol, e.g. BTC/USDT:USDT */
  unified: string;
  tickSize: number;
  stepSize: number;
  minQty: number;
  minNotional: number;
}

/**
 * An exit order: it may only reduce a position. `reduceOnly: true` is required by the type and
 * checked again at run time, so a request without it is refused before any network call.
 */
export interface ExitOrderRequest {
  /** the caller's id for this decision; the client order id is derived from it (retry-safe) */
  requestId: string;
  symbol: string;
  kind: ExitOrderKind;
  /** order side: sell closes a long, buy closes a short */
  side: OrderSide;
  /** base quantity; omit with closePosition (stop / take_profit / trailing_stop) */
  quantity?: number;
  /** the whole position, whatever its size when the order fires */
  closePosition?: boolean;
  triggerPrice?: number;
  /** trailing_stop: retracement in percent (0.1 .. 10) */
  callbackRatePct?: number;
  /** trailing_stop: start trailing once the price reaches this */
  activationPrice?: number;
  reduceOnly: true;
}

export interface ExchangeOrder {
  id: string;
  clientOrderId: string | null;
  symbol: string;
  side: OrderSide;
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
  reduceOnly: boolean;
  closePosition: boolean;
  timestamp: number | null;
}

export interface PlacedExitOrder {
  order: ExchangeOrder;
  clientOrderId: string;
  /** the venue already had this client order id (an earlier attempt went through) */
  alreadyExisted: boolean;
}

export interface OrderRef {
  symbol: string;
  conditional: boolean;
  /** exchange id or client order id, one of them */
  id?: string;
  clientOrderId?: string;
}

export interface PriceTick {
  symbol: string;
  price: number;
  timestamp: number;
}

export interface Balance {
  asset: "USDT";
  free: number;
  used: number;
  total: number;
}

export interface ExchangePort {
  readonly mode: "sim" | "binance" | "binance-demo";
  loadMarkets(): Promise<MarketInfo[]>;
  fetchPositions(symbols?: string[]): Promise<PositionSnapshot[]>;
  /** plain and conditional open orders */
  fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]>;
  placeExitOrder(request: ExitOrderRequest): Promise<PlacedExitOrder>;
  cancelOrder(ref: OrderRef): Promise<void>;
  fetchOrderByClientId(symbol: string, clientOrderId: string, conditional: boolean): Promise<ExchangeOrder | null>;
  fetchTicker(symbol: string): Promise<PriceTick>;
  fetchCandles(symbol: string, timeframe: string, limit: number): Promise<Candle[]>;
  /** resolves with the next price updates (ccxt pro semantics: call again for more) */
  watchPrices(symbols: string[]): Promise<PriceTick[]>;
  /** resolves with the next order updates from the user-data stream */
  watchOrderUpdates(): Promise<ExchangeOrder[]>;
  fetchBalance(): Promise<Balance>;
  close(): Promise<void>;
}
