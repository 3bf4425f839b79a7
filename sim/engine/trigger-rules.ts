// When a conditional order fires. Pure functions of the order and the price.
import type { AlgoOrder, OrderSide } from "./order-types";

/**
 * STOP_MARKET: a SELL fires when the price falls to the trigger, a BUY when it rises to it.
 * TAKE_PROFIT_MARKET: the other way round.
 */
export function crossesTrigger(type: "STOP_MARKET" | "TAKE_PROFIT_MARKET", side: OrderSide, trigger: number, price: number): boolean {
  const fallsTo = price <= trigger;
  const risesTo = price >= trigger;
  if (type === "STOP_MARKET") return side === "SELL" ? fallsTo : risesTo;
  return side === "SELL" ? risesTo : fallsTo;
}

/** Binance refuses (-2021) a stop or take-profit that would fire at once. */
export function wouldImmediatelyTrigger(type: "STOP_MARKET" | "TAKE_PROFIT_MARKET", side: OrderSide, trigger: number, price: number): boolean {
  return crossesTrigger(type, side, trigger, price);
}

/**
 * Trailing stop: once the price reaches the activation price, track the best price since;
 * fire when the price retraces callbackRate % from it. Mutates the order's trailing state.
 */
export function trailingStep(order: AlgoOrder, price: number): boolean {
  const rate = (order.callbackRate ?? 0) / 100;
  const activation = order.activationPrice;
  if (!order.trailingActive) {
    const reached = activation === null || (order.side === "SELL" ? price >= activation : price <= activation);
    if (!reached) return false;
    order.trailingActive = true;
    order.trailingExtreme = price;
  }
  const extreme = order.trailingExtreme ?? price;
  if (order.side === "SELL") {
    order.trailingExtreme = Math.max(extreme, price);
    return price <= order.trailingExtreme * (1 - rate);
  }
  order.trailingExtreme = Math.min(extreme, price);
  return price >= order.trailingExtreme * (1 + rate);
}

/** Does an order on `side` for `qty` reduce a position of signed size `amt` (never open or grow it)? */
export function reducesPosition(side: OrderSide, amt: number): boolean {
  return side === "SELL" ? amt > 0 : amt < 0;
}
