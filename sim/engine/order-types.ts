// Order, algo (conditional) order and event shapes inside the simulator. Prices and quantities
// are numbers already rounded to the instrument's tick/step; the API layer serialises them.
export type OrderSide = "BUY" | "SELL";
export type PlainOrderType = "MARKET" | "LIMIT";
export type AlgoOrderType = "STOP_MARKET" | "TAKE_PROFIT_MARKET" | "TRAILING_STOP_MARKET";
export type OrderStatus = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED";
/**
 * Binance's algo-order lifecycle: NEW (waiting for its trigger) → TRIGGERING (the trigger fired,
 * the order is being forwarded to the matching engine) → TRIGGERED (its order is in the matching
 * engine) → FINISHED (that order filled, partly filled or ended unfilled: see executedQty).
 * CANCELED by the user, EXPIRED by the system (e.g. a reduce-only stop whose position is gone),
 * REJECTED by the matching engine (e.g. a margin check).
 */
export type AlgoStatus = "NEW" | "TRIGGERING" | "TRIGGERED" | "FINISHED" | "CANCELED" | "EXPIRED" | "REJECTED";
/** One-way mode uses BOTH only; hedge mode LONG or SHORT on every order and position. */
export type PositionSide = "BOTH" | "LONG" | "SHORT";
/** Who placed it: the REST API, the admin API, the demo trader, a triggered algo order, a liquidation. */
export type OrderSource = "api" | "admin" | "demo" | "trigger" | "liquidation";

export interface PlainOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: PlainOrderType;
  /** for a market order placed by a triggered algo order: the algo's type */
  origType: PlainOrderType | AlgoOrderType;
  status: OrderStatus;
  price: number;
  avgPrice: number;
  origQty: number;
  executedQty: number;
  cumQuote: number;
  reduceOnly: boolean;
  closePosition: boolean;
  positionSide: PositionSide;
  stopPrice: number;
  timeInForce: "GTC" | "IOC" | "FOK" | "GTX";
  time: number;
  updateTime: number;
  realizedPnl: number;
  commission: number;
  source: OrderSource;
}

export interface AlgoOrder {
  algoId: number;
  clientAlgoId: string;
  symbol: string;
  side: OrderSide;
  orderType: AlgoOrderType;
  /** 0 when closePosition */
  quantity: number;
  triggerPrice: number;
  activationPrice: number | null;
  callbackRate: number | null;
  reduceOnly: boolean;
  closePosition: boolean;
  positionSide: PositionSide;
  algoStatus: AlgoStatus;
  createTime: number;
  updateTime: number;
  triggerTime: number;
  /** the market order placed when it triggered */
  actualOrderId: number | null;
  /** what that order filled, and at what average price (0 until it did) */
  executedQty: number;
  avgPrice: number;
  /** why it expired or was rejected without an order, e.g. "Reduce Only reject" */
  rejectReason: string;
  /** trailing stop: activated, and best price seen since */
  trailingActive: boolean;
  trailingExtreme: number | null;
  source: OrderSource;
}

export interface NewOrderInput {
  symbol: string;
  side: OrderSide;
  type: PlainOrderType | AlgoOrderType;
  quantity?: number;
  price?: number;
  triggerPrice?: number;
  activationPrice?: number;
  callbackRate?: number;
  reduceOnly?: boolean;
  closePosition?: boolean;
  clientOrderId?: string;
  timeInForce?: "GTC" | "IOC" | "FOK" | "GTX";
  /** absent = BOTH; hedge mode needs LONG or SHORT (the simulator's own orders get it inferred) */
  positionSide?: PositionSide;
  source: OrderSource;
}

export interface Fill {
  qty: number;
  price: number;
  commission: number;
  realizedPnl: number;
}

export type EngineEvent =
  | { kind: "order"; order: PlainOrder; execType: "NEW" | "TRADE" | "CANCELED" | "EXPIRED"; fill: Fill | null; time: number }
  | { kind: "algo"; algo: AlgoOrder; time: number }
  | { kind: "account"; symbol: string; reason: "ORDER" | "ADMIN"; time: number };
