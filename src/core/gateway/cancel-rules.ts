// Who may cancel an exit order, in which state (pure). Cancels go through the same gate as
// orders: checked against the committed toggle state and fenced by the leader term.
//   exit_executor (replacing its own stop): only while the committed state is LIVE. After a kill
//     switch the executor never touches an order again: a protective stop stays.
//   reconcile (the leader cancelling orders of positions that are gone): in any confirmed state.
//   legacy modules: as for placing (not in LIVE).
//   leftover_orders (the leader cancelling the product's reduce-only orders of a position confirmed
//     flat, worker/account/leftover-stops.ts): in any confirmed state.
//   operator_action (an operator's hand-back or close-now, issue 16): in any confirmed state; it
//     cancels Exit Brain's orders only after legacy's stop rests, or a closed position's leftovers.
// An unconfirmed state allows no cancel at all: the worker does not know who owns exits.
import type { OperationalState } from "../toggles";
import { isExitBrainModule, isLegacyModule, OPERATOR_MODULE } from "./modules";

export const RECONCILE_MODULE = "reconcile";
export const LEFTOVER_MODULE = "leftover_orders";

export type CancelDecision = { verdict: "allow"; state: OperationalState } | { verdict: "deny"; state: OperationalState; reason: string };

export function decideCancel(module: string, ctx: { state: OperationalState; confirmed: boolean }): CancelDecision {
  const state = ctx.state;
  if (!ctx.confirmed) return { verdict: "deny", state, reason: "toggle state unconfirmed: no order is cancelled until it is confirmed" };
  if (isExitBrainModule(module)) {
    return state === "EXIT_BRAIN_V3_LIVE"
      ? { verdict: "allow", state }
      : { verdict: "deny", state, reason: `the executor cancels only in LIVE (committed state ${state}): its orders stay` };
  }
  if (isLegacyModule(module)) {
    return state === "EXIT_BRAIN_V3_LIVE" ? { verdict: "deny", state, reason: "legacy modules may not cancel in LIVE" } : { verdict: "allow", state };
  }
  if (module === RECONCILE_MODULE || module === LEFTOVER_MODULE || module === OPERATOR_MODULE) return { verdict: "allow", state };
  return { verdict: "deny", state, reason: `module '${module}' may not cancel orders` };
}
