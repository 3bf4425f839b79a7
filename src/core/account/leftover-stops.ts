// Left-over exit orders of closed positions (issue 14): when a position closes (its stop fired, a
// take-profit filled, an operator closed it), the other reduce-only stops and take-profits the
// product placed for it stay on the venue. They protect nothing, and they count toward Binance's
// per-symbol MAX_NUM_ALGO_ORDERS (10): enough of them and the next position's stop is refused
// (-4045). This pure part says which orders are left over and since when; the worker
// (worker/account/leftover-stops.ts) confirms the position flat over REST and cancels them through
// the gateway.
//
// An order is a candidate only when all of these hold:
//  - its client order id has the product's prefix (it was placed through the gateway; a trader's
//    own orders are never touched);
//  - it can only reduce (reduceOnly, closePosition, or the closing side of its hedge-mode side);
//  - the position it closes is flat in the view: one-way mode, no position on the symbol; hedge
//    mode, no position on ITS side (the other side's position and orders are not looked at);
//  - it has been seen without its position for the whole grace period in a row (a reopening
//    resets it; an order placed for a position whose update has not arrived yet is not old enough).
import type { PositionMode } from "../gateway/exit-order-request";
import type { PositionSnapshot, Side } from "../market/types";
import type { ExchangeOrder } from "../market/exchange-order";
import { orderKey } from "./account-view";

/** the prefix of every client order id the gateway derives (worker/exchange/client-order-id.ts) */
export const OWN_CLIENT_ID_PREFIX = "eb-";

/** One flat position's left-over orders: one-way mode names the symbol (side null), hedge mode the side. */
/** One flat position's left-over orders: one-way mode names the symbol (side null), hedge mode the side. */
export interface LeftoverGroup {
  symbol: string;
  /** hedge mode: the flat side; one-way mode: null (the symbol has no position at all) */
  side: Side | null;
  orders: ExchangeOrder[];
}

export interface LeftoverScan {
  /** since when (worker clock) each left-over order has been seen left over, by order key: the caller keeps it */
  seenSince: Map<string, number>;
  /** orders left over for the whole grace period, grouped by flat position */
  due: LeftoverGroup[];
}

function reducesOnly(o: ExchangeOrder): boolean {
  return o.reduceOnly || o.closePosition;
}

/** The position side an order closes in hedge mode (LONG: sell, SHORT: buy); null when it names none. */
function hedgeSideOf(o: ExchangeOrder): Side | null {
  if (o.positionSide === "LONG" && o.side === "sell") return "long";
  if (o.positionSide === "SHORT" && o.side === "buy") return "short";
  return null;
}

/**
 * Each order's "left over since" starts when it is first seen without its position and is dropped
 * as soon as the position is seen again (a reopening restarts the grace period). Times are the
 * worker's own clock: venue timestamps are not compared with it.
 */
export function scanLeftoverOrders(
  view: { positions: readonly Pick<PositionSnapshot, "symbol" | "side" | "size">[]; openOrders: readonly ExchangeOrder[] },
  previous: ReadonlyMap<string, number>,
  now: number,
  o: { mode: PositionMode; graceMs: number },
): LeftoverScan {
  const open = new Set(view.positions.filter((p) => p.size > 0).map((p) => `${p.symbol}|${p.side}`));
  const symbolsOpen = new Set(view.positions.filter((p) => p.size > 0).map((p) => p.symbol));
  const seenSince = new Map<string, number>();
  const groups = new Map<string, LeftoverGroup>();
  for (const order of view.openOrders) {
    if (!order.clientOrderId?.startsWith(OWN_CLIENT_ID_PREFIX) || !reducesOnly(order)) continue;
    let side: Side | null = null;
    if (o.mode === "hedge") {
      side = hedgeSideOf(order);
      if (side === null || open.has(`${order.symbol}|${side}`)) continue;
    } else if (symbolsOpen.has(order.symbol)) continue;
    const key = orderKey(order);
    const since = previous.get(key) ?? now;
    seenSince.set(key, since);
    if (now - since < o.graceMs) continue;
    const groupKey = `${order.symbol}|${side ?? "both"}`;
    const g = groups.get(groupKey) ?? { symbol: order.symbol, side, orders: [] };
    g.orders.push(order);
    groups.set(groupKey, g);
  }
  return { seenSince, due: [...groups.values()] };
}

/** Whether a REST read of the group's symbol still shows its position flat (one-way: no side open). */
export function stillFlat(group: Pick<LeftoverGroup, "symbol" | "side">, rest: readonly Pick<PositionSnapshot, "symbol" | "side" | "size">[]): boolean {
  return !rest.some((p) => p.symbol === group.symbol && p.size > 0 && (group.side === null || p.side === group.side));
}
