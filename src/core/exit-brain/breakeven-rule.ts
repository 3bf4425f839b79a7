// Once the position has been breakevenTriggerR in profit (best price since entry), move the
// stop to entry plus a small offset that covers the round-trip fees, less an optional buffer of
// breakevenBufferAtr x ATR that leaves room for noise (fewer premature breakeven stop-outs).
import type { PositionSnapshot } from "../market/types";
import { improvesStop, type BrainState } from "./brain-state";
import type { MoveSlDecision } from "./decision";
import type { ExitBrainParams } from "./params";
import { slAdjustmentReason } from "./reason-text";

/** `atr` = the (time-scaled) ATR; NaN or 0 = no buffer. */
export function breakevenLevel(pos: PositionSnapshot, p: ExitBrainParams, atr = Number.NaN): number {
  const sign = pos.side === "long" ? 1 : -1;
  const buffer = atr > 0 ? p.breakevenBufferAtr * atr : 0;
  return pos.entryPrice * (1 + (sign * p.breakevenOffsetPct) / 100) - sign * buffer;
}

export function breakevenRule(pos: PositionSnapshot, state: BrainState, p: ExitBrainParams, risk: number, pnl: number, atr = Number.NaN): MoveSlDecision | null {
  const sign = pos.side === "long" ? 1 : -1;
  const bestR = (sign * (state.bestPrice - pos.entryPrice)) / risk;
  if (!(bestR >= p.breakevenTriggerR)) return null;
  const level = breakevenLevel(pos, p, atr);
  // The stop must stay on the safe side of the mark, or it would fire at once.
  if (sign * (pos.markPrice - level) <= 0) return null;
  if (!improvesStop(pos.side, state.stopPrice, level)) return null;
  return { type: "move_sl", newSl: level, slReason: "breakeven", confidence: 0.8, reason: slAdjustmentReason("breakeven", pnl) };
}
