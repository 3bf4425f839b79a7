// Deterministic ids for the executor's orders. The gateway derives the client order id from
// the decision id, so: the same decision retried (same position, same content, same toggle
// version) maps to the same id and can never be sent twice, while a new decision (another
// stop price, another ladder step, or after the toggles changed) gets a new id.
import type { Decision } from "../exit-brain";
import type { Side } from "../market/types";

/**
 * A position's identity for its lifetime: symbol, side and when it opened (or was first seen).
 * One-way mode has at most one position per symbol, so this separates consecutive positions.
 */
export function positionKeyOf(symbol: string, side: Side, openedAt: number): string {
  return `${symbol}:${side}:${openedAt}`;
}

/** Prices as stable text: 10 significant digits absorb float noise from recomputation. */
const num = (x: number): string => String(Number(x.toPrecision(10)));

function decisionContent(d: Decision): string {
  switch (d.type) {
    case "hold":
      return "hold";
    case "move_sl":
      return `move_sl:${d.slReason}@${num(d.newSl)}`;
    case "partial_close":
      return `partial_close:step${d.ladderStep}:${num(d.fraction)}`;
    case "full_exit_now":
      return `full_exit_now:${d.exitReason}`;
    case "set_tp":
      return `set_tp@${num(d.newTp)}`;
  }
}

/** `leg` names the order within one decision's plan (e.g. "order"), for plans with several. */
export function decisionIdFor(positionKey: string, d: Decision, toggleVersion: number | null, leg = "order"): string {
  return `exit_executor|${positionKey}|v${toggleVersion ?? "none"}|${decisionContent(d)}|${leg}`;
}
