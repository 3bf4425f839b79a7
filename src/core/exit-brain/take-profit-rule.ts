// Place a final take-profit order takeProfitR from entry (when configured), so the exchange
// closes the rest at the target even if the executor is down.
import type { PositionSnapshot } from "../market/types";
import type { BrainState } from "./brain-state";
import type { SetTpDecision } from "./decision";
import type { ExitBrainParams } from "./params";
import { setTpReason } from "./reason-text";

export function takeProfitRule(pos: PositionSnapshot, state: BrainState, p: ExitBrainParams, risk: number, pnl: number): SetTpDecision | null {
  if (p.takeProfitR <= 0 || state.takeProfitPrice !== null) return null;
  const sign = pos.side === "long" ? 1 : -1;
  const newTp = pos.entryPrice + sign * p.takeProfitR * risk;
  if (sign * (newTp - pos.markPrice) <= 0) return null; // already past: the ladder/trailing handle it
  return { type: "set_tp", newTp, confidence: 0.7, reason: setTpReason(pnl, ((p.takeProfitR * risk) / pos.entryPrice) * 100) };
}
