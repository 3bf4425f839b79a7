// Which of a legacy module's desired protective orders are not on the exchange yet. A stop is
// "present" if any reduce-only stop closes the position (whoever placed it: never stack stops);
// a take-profit rung is present if a take-profit sits within `tolerancePct` of its price.
import type { OrderSide } from "../gateway/exit-order-request";
import type { ProtectiveOrder } from "./protective-order";

export interface ExistingExitOrder {
  side: OrderSide;
  type: string;
  triggerPrice: number | null;
  reduceOnly: boolean;
  closePosition: boolean;
}

const STOP = new Set(["STOP_MARKET", "STOP", "TRAILING_STOP_MARKET"]);
const TP = new Set(["TAKE_PROFIT_MARKET", "TAKE_PROFIT"]);

export function missingProtectiveOrders(desired: readonly ProtectiveOrder[], existing: readonly ExistingExitOrder[], tolerancePct = 0.05): ProtectiveOrder[] {
  return desired.filter((d) => {
    const closing = existing.filter((o) => o.side === d.closeSide && (o.reduceOnly || o.closePosition));
    if (d.kind === "sl") return !closing.some((o) => STOP.has(o.type));
    return !closing.some((o) => TP.has(o.type) && o.triggerPrice !== null && (Math.abs(o.triggerPrice - d.price) / d.price) * 100 <= tolerancePct);
  });
}
