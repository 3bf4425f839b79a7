// The worker's one contract with a futures venue (like a venue adapter): everything the
// executor, the legacy modules and the position/price source need, nothing more. Symbols are
// exchange ids (BTCUSDT). Errors are ExchangePortError (classify-error.ts): retryable or not.
import type { ExitOrderRequest, PositionMode } from "../../src/core/gateway/exit-order-request";
import type { Candle, PositionSnapshot } from "../../src/core/market/types";
import type { ExchangeOrder } from "../../src/core/market/exchange-order";

// The order shape is core's (the account view keeps the same one); re-exported as part of the port's contract.
export type { ExchangeOrder, ExchangeOrderStatus, ExchangeOrderType } from "../../src/core/market/exchange-order";

export interface MarketInfo {
  symbol: string;
  /** ccxt's unified symbol, e.g. BTC/USDT:USDT */
  unified: string;
  tickSize: number;
  stepSize: number;
  minQty: number;
  minNotional: number;
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

/** What the gateway needs of the port: the order path, nothing else. */
export type OrderPort = Pick<ExchangePort, "placeExitOrder" | "cancelOrder" | "fetchOrderByClientId" | "positionMode">;

export interface ExchangePort {
  readonly mode: "sim" | "binance" | "binance-demo";
  loadMarkets(): Promise<MarketInfo[]>;
  fetchPositions(symbols?: string[]): Promise<PositionSnapshot[]>;
  /** plain and conditional open orders */
  fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]>;
  /**
   * Sends one exit order under the client order id the gateway derived, once: no look-up and no
   * retry here (the gateway owns both, it re-checks the committed state before every send). Shaped
   * for the position mode detected at connect; refused before any network call when it is not
   * reduce-only or cannot be sent as asked (ExitOrderRefusedError).
   */
  placeExitOrder(request: ExitOrderRequest, clientOrderId: string): Promise<ExchangeOrder>;
  cancelOrder(ref: OrderRef): Promise<void>;
  fetchOrderByClientId(symbol: string, clientOrderId: string, conditional: boolean): Promise<ExchangeOrder | null>;
  /** GET /fapi/v1/positionSide/dual: the account's mode now (also compared with the one at connect) */
  fetchPositionMode(): Promise<PositionMode>;
  /** the mode detected at connect, and why nothing may be sent when the account has changed since (null: fine) */
  positionMode(): { connected: PositionMode; refusal: string | null };
  fetchTicker(symbol: string): Promise<PriceTick>;
  fetchCandles(symbol: string, timeframe: string, limit: number): Promise<Candle[]>;
  /** resolves with the next price updates (ccxt pro semantics: call again for more) */
  watchPrices(symbols: string[]): Promise<PriceTick[]>;
  /** resolves with the next order updates from the user-data stream */
  watchOrderUpdates(): Promise<ExchangeOrder[]>;
  fetchBalance(): Promise<Balance>;
  close(): Promise<void>;
}
