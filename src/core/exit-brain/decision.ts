// The one decision the policy returns per evaluation. Field names are camelCase here;
// toDecisionRecord gives the shadow log's flat snake_case keys (decision.decision_type, ...).

export type SlReason = "initial" | "breakeven" | "trailing";
export type ExitReason = "shock" | "liquidation" | "time_limit" | "trailing_stop";

interface Base {
  /** 0..1: how sure the rule is; deterministic from the inputs */
  readonly confidence: number;
  /** human text in the runbook's words */
  readonly reason: string;
}

export interface HoldDecision extends Base {
  readonly type: "hold";
}
export interface MoveSlDecision extends Base {
  readonly type: "move_sl";
  readonly newSl: number;
  readonly slReason: SlReason;
}
export interface PartialCloseDecision extends Base {
  readonly type: "partial_close";
  /** fraction of the current (remaining) size to close, (0, 1] */
  readonly fraction: number;
  /** index of the ladder step this takes */
  readonly ladderStep: number;
}
export interface FullExitDecision extends Base {
  readonly type: "full_exit_now";
  readonly exitReason: ExitReason;
}
export interface SetTpDecision extends Base {
  readonly type: "set_tp";
  readonly newTp: number;
}

export type Decision = HoldDecision | MoveSlDecision | PartialCloseDecision | FullExitDecision | SetTpDecision;
export type DecisionType = Decision["type"];

/** Flat keys as in the runbook's shadow log (the caller prefixes `decision.`). */
export interface DecisionRecord {
  decision_type: DecisionType;
  confidence: number;
  reason: string;
  new_sl: number | null;
  sl_reason: SlReason | null;
  fraction: number | null;
  new_tp: number | null;
  exit_reason: ExitReason | null;
}

export function toDecisionRecord(d: Decision): DecisionRecord {
  return {
    decision_type: d.type,
    confidence: d.confidence,
    reason: d.reason,
    new_sl: d.type === "move_sl" ? d.newSl : null,
    sl_reason: d.type === "move_sl" ? d.slReason : null,
    fraction: d.type === "partial_close" ? d.fraction : null,
    new_tp: d.type === "set_tp" ? d.newTp : null,
    exit_reason: d.type === "full_exit_now" ? d.exitReason : null,
  };
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : Number.isFinite(x) ? x : 0;
}
