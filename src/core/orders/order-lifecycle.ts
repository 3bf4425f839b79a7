// An exit order's life on the exchange after the gateway placed it, as a pure state machine.
// The worker observes the venue (the account refresh's open orders; an order that left them is
// looked up by its client order id) and this decides what, if anything, changed:
//   (placed) -> open -> triggered -> filled
//                  \-> cancelled | expired | rejected   (also straight from placed or triggered)
// Terminal statuses never change again: a late or repeated observation cannot turn a filled
// order back into an open one. "Cancelled" says by whom and why: the module that cancelled it
// through the gateway, or "exchange" when nobody here sent the cancel.
import type { ExchangeOrderStatus } from "../market/exchange-order";

export const LIFECYCLE_STATUSES = ["open", "triggered", "filled", "cancelled", "expired", "rejected"] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export const TERMINAL_STATUSES: readonly LifecycleStatus[] = ["filled", "cancelled", "expired", "rejected"];

export function isTerminal(s: LifecycleStatus | null): boolean {
  return s !== null && TERMINAL_STATUSES.includes(s);
}

/** What the worker saw of one order. */
export type OrderObservation =
  | { kind: "resting"; /** a conditional order whose trigger fired (algo TRIGGERING/TRIGGERED) */ firing: boolean }
  | {
      kind: "final";
      status: ExchangeOrderStatus;
      filled: number;
      averagePrice: number | null;
      fee?: number | null;
      feeAsset?: string | null;
    };

/** A cancel this worker sent through the gateway for this order. */
export interface CancelIntent {
  by: string;
  reason: string;
}

export interface LifecycleChange {
  status: LifecycleStatus;
  filledQuantity?: number | null;
  fillPrice?: number | null;
  fee?: number | null;
  feeAsset?: string | null;
  cancelledBy?: string | null;
  cancelReason?: string | null;
  /** one line for the order's history */
  detail: string;
}

export const EXCHANGE_CANCEL_REASON = "cancelled on the exchange, not through this worker (by hand on the venue, by the venue, or because the position closed)";

const fmt = (n: number): string => String(Number(n.toPrecision(10)));

/**
 * The change an observation makes to an order's status, or null when it changes nothing (the
 * same status again, a terminal order, or an answer that says nothing definite).
 */
export function nextLifecycle(current: LifecycleStatus | null, obs: OrderObservation, intent?: CancelIntent | null): LifecycleChange | null {
  if (isTerminal(current)) return null;
  if (obs.kind === "resting") {
    if (obs.firing) return current === "triggered" ? null : { status: "triggered", detail: "trigger price reached: the exchange is executing it" };
    // A firing order does not go back to waiting; only an unseen (just placed) one becomes open.
    return current === null ? { status: "open", detail: "resting on the exchange" } : null;
  }
  const fee = obs.fee ?? null;
  const feeAsset = fee === null ? null : (obs.feeAsset ?? null);
  const fill = obs.filled > 0 ? { filledQuantity: obs.filled, fillPrice: obs.averagePrice, fee, feeAsset } : {};
  const filledText = obs.filled > 0 ? ` after ${fmt(obs.filled)} filled${obs.averagePrice !== null ? ` at ${fmt(obs.averagePrice)}` : ""}` : "";
  switch (obs.status) {
    case "closed":
      if (obs.filled > 0) {
        const feeText = fee === null ? "fee not reported" : `fee ${fmt(fee)}${feeAsset ? ` ${feeAsset}` : ""}`;
        return { status: "filled", ...fill, detail: `filled ${fmt(obs.filled)}${obs.averagePrice !== null ? ` at ${fmt(obs.averagePrice)}` : ""} (${feeText})` };
      }
      // Done without a fill (a conditional order finished with nothing executed): it expired.
      return { status: "expired", detail: "finished on the exchange without a fill" };
    case "canceled": {
      const by = intent?.by ?? "exchange";
      const reason = intent?.reason ?? EXCHANGE_CANCEL_REASON;
      return { status: "cancelled", ...fill, cancelledBy: by, cancelReason: reason, detail: `cancelled by ${by}${filledText}: ${reason}` };
    }
    case "expired":
      return { status: "expired", ...fill, detail: `expired on the exchange${filledText}` };
    case "rejected":
      return { status: "rejected", detail: "rejected by the exchange after it was accepted" };
    case "open":
      return current === null ? { status: "open", detail: "resting on the exchange" } : null;
    case "unknown":
      return null;
  }
}

/** A cancel the gateway carried out: the order is gone, and we know who and why. */
export function cancelledThroughGateway(current: LifecycleStatus | null, intent: CancelIntent): LifecycleChange | null {
  return nextLifecycle(current, { kind: "final", status: "canceled", filled: 0, averagePrice: null }, intent);
}
