// The exit orders resting on the exchange for one position, read from the shared account
// snapshot: used to seed the brain state when the executor takes a position over (so it never
// leaves it unprotected and never loosens a stop that is already there) and to know which old
// orders to cancel once a replacement is placed. Pure. A stop that has been firing (algo state
// TRIGGERING/TRIGGERED) for more than a few seconds no longer counts as protection, as for the
// watchdog (src/core/watchdog/stop-lifecycle.ts): the executor then places a new stop instead of
// trusting one that may be stuck; the old one stays listed for cancelling.
import type { ExistingOrders } from "../../src/core/exit-brain";
import { closingSide } from "../../src/core/gateway/exit-order-request";
import type { Side } from "../../src/core/market/types";
import { stillProtects } from "../../src/core/watchdog/stop-lifecycle";
import type { ExchangeOrder, OrderRef } from "../exchange/exchange-port";

export interface PositionExitOrders {
  stops: ExchangeOrder[];
  /** the stops that still protect the position at `now` (a stop stuck firing does not) */
  protectingStops: ExchangeOrder[];
  takeProfits: ExchangeOrder[];
  /** every order that reduces this position (stops, take-profits, trailing, plain reduce-only) */
  all: ExchangeOrder[];
  /** what createBrainState needs: the most protective stop, the nearest take-profit */
  existing: ExistingOrders;
}

/** `now`: the worker's clock, the one ExchangeOrder.triggeringSince is on. */
export function exitOrdersOf(orders: readonly ExchangeOrder[], symbol: string, side: Side, markPrice: number, now: number): PositionExitOrders {
  const closing = closingSide(side);
  const all = orders.filter((o) => o.symbol === symbol && o.side === closing && o.status === "open" && (o.reduceOnly || o.closePosition || o.conditional));
  const priced = (o: ExchangeOrder): o is ExchangeOrder & { triggerPrice: number } => o.triggerPrice !== null && o.triggerPrice > 0;
  const stops = all.filter((o) => o.type === "STOP_MARKET");
  const protectingStops = stops.filter((o) => stillProtects(o, now));
  const takeProfits = all.filter((o) => o.type === "TAKE_PROFIT_MARKET");
  const sign = side === "long" ? 1 : -1;
  // Most protective stop: the highest for a long, the lowest for a short.
  const stopPrices = protectingStops.filter(priced).map((o) => o.triggerPrice);
  const stopPrice = stopPrices.length === 0 ? null : sign === 1 ? Math.max(...stopPrices) : Math.min(...stopPrices);
  const tpPrices = takeProfits.filter(priced).map((o) => o.triggerPrice);
  const takeProfitPrice = tpPrices.length === 0 ? null : tpPrices.reduce((best, p) => (Math.abs(p - markPrice) < Math.abs(best - markPrice) ? p : best));
  return { stops, protectingStops, takeProfits, all, existing: { stopPrice, takeProfitPrice } };
}

export function refOf(o: Pick<ExchangeOrder, "id" | "symbol" | "conditional">): OrderRef {
  return { symbol: o.symbol, conditional: o.conditional, id: o.id };
}
