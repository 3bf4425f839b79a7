// The Exit Brain policy: one position, one decision. Pure and deterministic: the same inputs
// always give the same decision. Rules in priority order:
//   1. no stop -> initial stop (a position is never left unprotected, even for one cycle)
//   2. liquidation close -> exit   3. shock candle -> exit   4. time limit -> exit
//   5. price fell through the trailing level -> exit   6. partial take-profit ladder
//   7. stop moves (trailing or breakeven, whichever protects more)   8. set final TP   9. hold
import { pnlPct, type PositionSnapshot } from "../market/types";
import type { BrainState } from "./brain-state";
import { breakevenRule } from "./breakeven-rule";
import type { Decision, HoldDecision } from "./decision";
import { initialStopRule, riskUnit } from "./initial-stop-rule";
import { liquidationGuardRule } from "./liquidation-guard-rule";
import { timeScaledAtr, type MarketSnapshot } from "./market-snapshot";
import type { ExitBrainParams } from "./params";
import { partialLadderRule } from "./partial-ladder-rule";
import { HOLD_REASON } from "./reason-text";
import { shockExitRule } from "./shock-exit-rule";
import { takeProfitRule } from "./take-profit-rule";
import { timeLimitRule } from "./time-limit-rule";
import { trailingRule } from "./trailing-rule";

export const HOLD: HoldDecision = Object.freeze({ type: "hold", confidence: 0.5, reason: HOLD_REASON });

/**
 * Decide what to do with one open position now.
 * @param position current exchange view (markPrice = latest price)
 * @param market   ATR and last closes for the symbol (updateMarketSnapshot per candle)
 * @param state    this position's brain state (createBrainState, observePrice, applyDecision)
 * @param now      epoch ms from the injected clock
 */
export function evaluatePosition(
  position: PositionSnapshot,
  market: MarketSnapshot,
  state: BrainState,
  params: ExitBrainParams,
  now: number,
): Decision {
  const pnl = pnlPct(position.side, position.entryPrice, position.markPrice);
  // Distances use the ATR rescaled to the reference interval; the shock rule compares one
  // candle with the raw per-candle ATR.
  const atr = timeScaledAtr(market, params.volRefIntervalMs);
  const scaled = atr === market.atr || Number.isNaN(atr) ? market : { ...market, atr };
  if (state.stopPrice === null) return initialStopRule(position, scaled, state, params, pnl)!;
  if (state.closed) return HOLD;
  const exit = liquidationGuardRule(position, scaled, params, pnl) ?? shockExitRule(position, market, params, pnl) ?? timeLimitRule(state, params, pnl, now);
  if (exit) return exit;
  const risk = riskUnit(state, scaled, params);
  const trail = trailingRule(position, scaled, state, params, risk, pnl);
  if (trail?.type === "full_exit_now") return trail;
  const partial = partialLadderRule(position, state, params, risk, pnl);
  if (partial) return partial;
  const be = breakevenRule(position, state, params, risk, pnl, atr);
  if (trail && be) return (position.side === "long" ? trail.newSl >= be.newSl : trail.newSl <= be.newSl) ? trail : be;
  return trail ?? be ?? takeProfitRule(position, state, params, risk, pnl) ?? HOLD;
}
