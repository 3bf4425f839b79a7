// Reason strings in the runbook's wording, e.g. "SL adjustment (breakeven): pnl=2.10%" and
// "Partial TP hit: pnl=5.42%, taking 50% profit". Built only for actions (holds share one
// constant string) so the hot path does no number formatting.
import type { SlReason } from "./decision";

const pct = (x: number): string => `${x.toFixed(2)}%`;

export const HOLD_REASON = "Hold: no exit condition met";

export function slAdjustmentReason(slReason: SlReason, pnl: number): string {
  return `SL adjustment (${slReason}): pnl=${pct(pnl)}`;
}

export function partialTpReason(pnl: number, fraction: number): string {
  return `Partial TP hit: pnl=${pct(pnl)}, taking ${Math.round(fraction * 100)}% profit`;
}

export function setTpReason(pnl: number, targetPct: number): string {
  return `TP adjustment: pnl=${pct(pnl)}, target=+${pct(targetPct)} from entry`;
}

export function shockExitReason(pnl: number, movePct: number, atrMultiple: number): string {
  return `Emergency exit (shock): adverse move ${pct(movePct)} in one candle (${atrMultiple.toFixed(1)}x ATR), pnl=${pct(pnl)}`;
}

export function liquidationExitReason(pnl: number, distancePct: number): string {
  return `Emergency exit (liquidation risk): liquidation price ${pct(distancePct)} away, pnl=${pct(pnl)}`;
}

export function timeLimitReason(pnl: number, heldMs: number): string {
  return `Time limit: position open ${(heldMs / 3_600_000).toFixed(1)}h, pnl=${pct(pnl)}`;
}

export function trailingStopHitReason(pnl: number): string {
  return `Trailing stop hit: pnl=${pct(pnl)}, price fell back through the trailing level`;
}
