// Once the position has been trailTriggerR in profit, keep the stop trailAtrMult x ATR behind
// the best price, moving it only by at least trailMinStepAtr x ATR (fewer exchange orders).
// If the price already fell back through the trailing level, exit now: a stop on the wrong
// side of the mark would be rejected by the exchange or fire at once anyway.
import type { PositionSnapshot } from "../market/types";
import { improvesStop, type BrainState } from "./brain-state";
import { clamp01, type FullExitDecision, type MoveSlDecision } from "./decision";
import type { MarketSnapshot } from "./market-snapshot";
import type { ExitBrainParams } from "./params";
import { slAdjustmentReason, trailingStopHitReason } from "./reason-text";

export function trailingLevel(state: BrainState, atr: number, p: ExitBrainParams): number {
  return state.side === "long" ? state.bestPrice - p.trailAtrMult * atr : state.bestPrice + p.trailAtrMult * atr;
}

export function trailingRule(
  pos: PositionSnapshot,
  market: MarketSnapshot,
  state: BrainState,
  p: ExitBrainParams,
  risk: number,
  pnl: number,
): MoveSlDecision | FullExitDecision | null {
  const atr = market.atr;
  if (!(atr > 0)) return null;
  const sign = pos.side === "long" ? 1 : -1;
  const bestR = (sign * (state.bestPrice - pos.entryPrice)) / risk;
  if (!(bestR >= p.trailTriggerR)) return null;
  const level = trailingLevel(state, atr, p);
  if (!improvesStop(pos.side, state.stopPrice, level)) return null;
  if (state.slReason === "trailing" && state.stopPrice !== null && Math.abs(level - state.stopPrice) < p.trailMinStepAtr * atr) return null;
  if (sign * (pos.markPrice - level) <= 0) {
    return { type: "full_exit_now", exitReason: "trailing_stop", confidence: 0.9, reason: trailingStopHitReason(pnl) };
  }
  return {
    type: "move_sl",
    newSl: level,
    slReason: "trailing",
    confidence: clamp01(0.7 + 0.05 * (bestR - p.trailTriggerR)),
    reason: slAdjustmentReason("trailing", pnl),
  };
}
