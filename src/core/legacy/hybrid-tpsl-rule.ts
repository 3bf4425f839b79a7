// Legacy `hybrid_tpsl`: a fixed stop plus a ladder of take-profits at fixed distances from
// entry. `levelsFilled` (tracked by the caller from filled order ids) says which rungs are
// gone; the remaining rungs are sized as fractions of the current size.
import type { PositionSnapshot } from "../market/types";
import type { HybridTpslParams } from "./legacy-params";
import { closingSide } from "../gateway/exit-order-request";
import { priceAtPct, type ProtectiveOrder } from "./protective-order";

export function hybridTpslOrders(position: PositionSnapshot, params: HybridTpslParams, levelsFilled = 0): ProtectiveOrder[] {
  const closeSide = closingSide(position.side);
  const orders: ProtectiveOrder[] = [
    { kind: "sl", price: priceAtPct(position.side, position.entryPrice, -params.stopLossPct), fraction: 1, quantity: position.size, closeSide },
  ];
  // Each rung closes `fraction` of what is left after the rungs before it.
  let left = 1;
  for (let i = levelsFilled; i < params.levels.length; i++) {
    const level = params.levels[i]!;
    const last = i === params.levels.length - 1;
    const fraction = last ? left : left * level.fraction;
    if (fraction <= 0) break;
    orders.push({
      kind: last ? "tp" : "partial_tp",
      price: priceAtPct(position.side, position.entryPrice, level.pct),
      fraction,
      quantity: position.size * fraction,
      closeSide,
    });
    left -= fraction;
  }
  return orders;
}
