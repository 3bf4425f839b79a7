// An exit order as a module asks for it: the one shape from the module through the gateway to the
// exchange port (NautilusTrader's SubmitOrder). The gateway derives the client order id from
// `decisionId`; the port turns the request into the venue's call and nothing else.
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
  /**
   * the size of the position side this order reduces, as the module saw it; the gate refuses a
   * larger quantity. Required in hedge mode, where the venue has no reduce-only flag to stop it.
   */
  positionSize?: number | null;
  stopPrice?: number | null;
  /** trailing stops: callback rate in percent */
  callbackRate?: number | null;
  /** trailing stops: start trailing once the price reaches this */
  activationPrice?: number | null;
  /** stop / take-profit: close the whole position side when it fires, whatever its size then (quantity is not sent) */
  closePosition?: boolean;
  /** an exit may only reduce: must be true (one-way: sent as reduceOnly; hedge mode: as the position side) */
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

/**
 * The account's position mode (GET /fapi/v1/positionSide/dual): one-way keeps one net position per
 * symbol; hedge mode a LONG and a SHORT, and every order names the side it acts on.
 */
export type PositionMode = "one-way" | "hedge";
