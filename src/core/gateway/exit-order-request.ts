// An exit order as a module asks for it, before the gateway decides.
import type { Side } from "../market/types";
import type { OrderKind } from "./modules";

export const EXIT_ORDER_TYPES = ["MARKET", "STOP_MARKET", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"] as const;
export type ExitOrderType = (typeof EXIT_ORDER_TYPES)[number];
export type OrderSide = "buy" | "sell";

export interface ExitOrderRequest {
  module: string;
  kind: OrderKind;
  symbol: string;
  /** the side of the position this order reduces */
  positionSide: Side;
  side: OrderSide;
  orderType: ExitOrderType;
  quantity: number;
  stopPrice?: number | null;
  /** trailing stops: callback rate in percent */
  callbackRate?: number | null;
  reduceOnly: boolean;
  /** the decision this order executes; the client order id is derived from it */
  decisionId: string;
  /**
   * A legacy module's order for a position an operator handed back to legacy (position_handback):
   * allowed in LIVE, where legacy orders are otherwise blocked. Set only by the worker's legacy
   * cycle and the hand-back action, from the committed hand-back row.
   */
  handedBack?: boolean;
}

/** The only side that can reduce a position: sell closes a long, buy closes a short. */
export function closingSide(positionSide: Side): OrderSide {
  return positionSide === "long" ? "sell" : "buy";
}
