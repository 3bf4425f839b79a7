// Take profits in steps: when the mark is ladder[k].triggerR in profit and step k was not
// taken yet, close ladder[k].fraction of what is left. Fractions are of the current size,
// so the partial closes can never add up to more than the position.
import type { PositionSnapshot } from "../market/types";
import type { BrainState } from "./brain-state";
import type { PartialCloseDecision } from "./decision";
import type { ExitBrainParams } from "./params";
import { partialTpReason } from "./reason-text";

export function partialLadderRule(pos: PositionSnapshot, state: BrainState, p: ExitBrainParams, risk: number, pnl: number): PartialCloseDecision | null {
  const step = p.ladder[state.partialsTaken];
  if (step === undefined) return null;
  const sign = pos.side === "long" ? 1 : -1;
  if ((sign * (pos.markPrice - pos.entryPrice)) / risk < step.triggerR) return null;
  return {
    type: "partial_close",
    fraction: step.fraction,
    ladderStep: state.partialsTaken,
    confidence: 0.75,
    reason: partialTpReason(pnl, step.fraction),
  };
}
