// A position without a stop gets one at once (sl_reason `initial`), sized by volatility:
// slAtrMult x ATR, clamped to [minStopPct, maxStopPct] of entry, and always on the safe side
// of the mark so the exchange accepts it and it does not fire immediately.
import type { PositionSnapshot } from "../market/types";
import type { BrainState } from "./brain-state";
import type { MoveSlDecision } from "./decision";
import type { MarketSnapshot } from "./market-snapshot";
import type { ExitBrainParams } from "./params";
import { slAdjustmentReason } from "./reason-text";

/** Stop distance in price units for a position entered at `entryPrice`. */
export function stopDistance(entryPrice: number, atr: number, p: ExitBrainParams): number {
  let pctDist = Number.isFinite(atr) && atr > 0 ? ((p.slAtrMult * atr) / entryPrice) * 100 : p.fallbackStopPct;
  if (pctDist < p.minStopPct) pctDist = p.minStopPct;
  if (pctDist > p.maxStopPct) pctDist = p.maxStopPct;
  return (entryPrice * pctDist) / 100;
}

/** The R unit: the initial risk if known, else what the initial stop would be now. */
export function riskUnit(state: BrainState, market: MarketSnapshot, p: ExitBrainParams): number {
  return state.riskPerUnit > 0 ? state.riskPerUnit : stopDistance(state.entryPrice, market.atr, p);
}

export function initialStopRule(
  pos: PositionSnapshot,
  market: MarketSnapshot,
  state: BrainState,
  p: ExitBrainParams,
  pnl: number,
): MoveSlDecision | null {
  if (state.stopPrice !== null) return null;
  const dist = stopDistance(pos.entryPrice, market.atr, p);
  const minGap = (pos.markPrice * p.minStopPct) / 100;
  const newSl =
    pos.side === "long"
      ? Math.min(pos.entryPrice - dist, pos.markPrice - minGap)
      : Math.max(pos.entryPrice + dist, pos.markPrice + minGap);
  return { type: "move_sl", newSl, slReason: "initial", confidence: 1, reason: slAdjustmentReason("initial", pnl) };
}
