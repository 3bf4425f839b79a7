// Checks and shapes an exit order before it goes out: reduce-only is mandatory, quantity and
// prices are rounded with ccxt's precision helpers, and the venue's step/min-quantity rules are
// checked here so a bad request fails with a clear message and no network call.
//
// No min-notional check: every exit order is reduce-only, and Binance exempts reduce-only orders
// from MIN_NOTIONAL (it exists so nobody opens dust positions). Refusing a small reduce-only
// order would leave the rest of a position unclosed, or without a stop, for no venue reason.
import type { ExitOrderRequest, OrderSide, PositionMode } from "../../src/core/gateway/exit-order-request";
import type { MarketInfo } from "./exchange-port";
import { ExitOrderRefusedError } from "./classify-error";

export interface Precision {
  amountToPrecision(symbol: string, amount: number): string;
  priceToPrecision(symbol: string, price: number): string;
}

export interface CcxtOrderCall {
  unified: string;
  side: OrderSide;
  /** 0 for closePosition orders (ccxt does not send it then) */
  amount: number;
  params: Record<string, string | number | boolean>;
  conditional: boolean;
}

/**
 * The core request as ccxt's createOrder arguments. One-way mode: `reduceOnly: true` (or
 * closePosition). Hedge mode: `positionSide` LONG/SHORT and no reduceOnly (Binance refuses it there,
 * -1106); the closing side of that position side is what makes it reduce (the gate checked it).
 */
export function prepareExitOrder(
  req: ExitOrderRequest,
  market: MarketInfo,
  precision: Precision,
  clientOrderId: string,
  positionMode: PositionMode = "one-way",
): CcxtOrderCall {
  const where = `${req.orderType} ${req.side} ${req.symbol} (decision ${req.decisionId})`;
  // Checked at run time too: callers outside TypeScript, or a cast, must not bypass it.
  if ((req as { reduceOnly?: unknown }).reduceOnly !== true) {
    throw new ExitOrderRefusedError(`${where}: refused, exit orders must be reduce-only (reduceOnly: true); nothing was sent`);
  }
  if (req.side !== "buy" && req.side !== "sell") throw new ExitOrderRefusedError(`${where}: side must be buy or sell`);
  if (req.positionSide !== "long" && req.positionSide !== "short") throw new ExitOrderRefusedError(`${where}: positionSide must be long or short`);
  const closePosition = req.closePosition === true;
  if (closePosition && req.orderType === "MARKET") {
    throw new ExitOrderRefusedError(`${where}: a market close needs a quantity (closePosition is for stop/take-profit orders)`);
  }
  const u = market.unified;
  const params: Record<string, string | number | boolean> = { clientOrderId };
  if (positionMode === "hedge") params.positionSide = req.positionSide === "long" ? "LONG" : "SHORT";
  let amount = 0;
  if (closePosition) params.closePosition = true;
  else {
    if (!(req.quantity > 0)) throw new ExitOrderRefusedError(`${where}: quantity must be > 0 (got ${req.quantity})`);
    amount = Number(precision.amountToPrecision(u, req.quantity));
    if (!(amount >= market.minQty)) {
      throw new ExitOrderRefusedError(`${where}: quantity ${req.quantity} rounds to ${amount} with step ${market.stepSize}, below the minimum ${market.minQty}`);
    }
    if (positionMode === "one-way") params.reduceOnly = true;
  }
  const price = (name: string, v: number | null | undefined): number => {
    if (v == null || !(v > 0)) throw new ExitOrderRefusedError(`${where}: ${name} must be > 0 (got ${v})`);
    return Number(precision.priceToPrecision(u, v));
  };
  switch (req.orderType) {
    case "MARKET":
      return { unified: u, side: req.side, amount, params, conditional: false };
    case "STOP_MARKET":
      params.stopLossPrice = price("stopPrice", req.stopPrice);
      return { unified: u, side: req.side, amount, params, conditional: true };
    case "TAKE_PROFIT_MARKET":
      params.takeProfitPrice = price("stopPrice", req.stopPrice);
      return { unified: u, side: req.side, amount, params, conditional: true };
    case "TRAILING_STOP_MARKET": {
      const rate = req.callbackRate;
      if (rate == null || !(rate >= 0.1 && rate <= 10)) {
        throw new ExitOrderRefusedError(`${where}: callbackRate must be between 0.1 and 10 percent (got ${rate})`);
      }
      params.trailingPercent = Math.round(rate * 10) / 10;
      // Binance documents the activation price of /fapi/v1/algoOrder as activatePrice; ccxt would
      // send its own trailingTriggerPrice as activationPrice. Passed under Binance's name, ccxt
      // forwards it as is (binance-contract.test.ts checks the request).
      if (req.activationPrice != null) params.activatePrice = price("activationPrice", req.activationPrice);
      return { unified: u, side: req.side, amount, params, conditional: true };
    }
    default:
      throw new ExitOrderRefusedError(`${where}: unknown order type`);
  }
}
