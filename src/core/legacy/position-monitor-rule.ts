// Legacy `position_monitor`: one stop-loss and one take-profit at fixed distances from entry,
// for the whole position. Stateless: the same position always wants the same two orders.
import type { PositionSnapshot } from "../market/types";
import type { PositionMonitorParams } from "./legacy-params";
import { closingSide } from "../gateway/exit-order-request";
import { priceAtPct, type ProtectiveOrder } from "./protective-order";

export function positionMonitorOrders(position: PositionSnapshot, params: PositionMonitorParams): ProtectiveOrder[] {
  const closeSide = closingSide(position.side);
  return [
    { kind: "sl", price: priceAtPct(position.side, position.entryPrice, -params.stopLossPct), fraction: 1, quantity: position.size, closeSide },
    { kind: "tp", price: priceAtPct(position.side, position.entryPrice, params.takeProfitPct), fraction: 1, quantity: position.size, closeSide },
  ];
}
