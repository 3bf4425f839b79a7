// "The protective orders this position should have": what a legacy module diffs against the
// open orders on the exchange. Kinds match the runbook's orders_by_kind (sl, tp, partial_tp).
import type { OrderSide } from "../gateway/exit-order-request";
import type { OrderKind } from "../gateway/modules";
import type { Side } from "../market/types";

/** The gateway's order kinds a legacy module places (runbook orders_by_kind). */
export type ProtectiveOrderKind = Extract<OrderKind, "sl" | "tp" | "partial_tp">;

export interface ProtectiveOrder {
  readonly kind: ProtectiveOrderKind;
  /** trigger (stop) or limit (take-profit) price */
  readonly price: number;
  /** fraction of the current position size, (0, 1] */
  readonly fraction: number;
  /** absolute base quantity = fraction x current size */
  readonly quantity: number;
  /** the side of the closing order, always reduce-only */
  readonly closeSide: OrderSide;
}

/** entry moved by `pct` percent in the position's favour (+) or against it (-). */
export function priceAtPct(side: Side, entryPrice: number, pct: number): number {
  return entryPrice * (1 + ((side === "long" ? 1 : -1) * pct) / 100);
}
