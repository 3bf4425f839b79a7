// One line of the shadow log (JSON Lines) and one shadow_decision row, built from the same
// input. Keys are flat and dotted ("decision.decision_type") as in the runbook, so its pandas
// snippet (`pd.DataFrame(logs)['decision.decision_type']`) runs unchanged.
import { z } from "zod";
import { toDecisionRecord, type Decision } from "../exit-brain";
import { pnlPct, type PositionSnapshot } from "../market/types";
import type { ExecutorMode } from "./executor-log-lines";

export interface DecisionContext {
  /** stable id of the position for its lifetime (see positionKeyOf) */
  positionKey: string;
  position: PositionSnapshot;
  decision: Decision;
  mode: ExecutorMode;
  toggleVersion: number | null;
  /** epoch ms of the evaluation */
  at: number;
}

export const ShadowLogRecordSchema = z.object({
  timestamp: z.iso.datetime(),
  mode: z.enum(["SHADOW", "LIVE"]),
  position_key: z.string(),
  symbol: z.string(),
  side: z.enum(["long", "short"]),
  size: z.number(),
  entry_price: z.number(),
  mark_price: z.number(),
  pnl_pct: z.number(),
  toggle_version: z.number().nullable(),
  "decision.decision_type": z.enum(["hold", "move_sl", "partial_close", "full_exit_now", "set_tp"]),
  "decision.confidence": z.number().min(0).max(1),
  "decision.reason": z.string(),
  "decision.new_sl": z.number().nullable(),
  "decision.sl_reason": z.enum(["initial", "breakeven", "trailing"]).nullable(),
  "decision.fraction": z.number().nullable(),
  "decision.new_tp": z.number().nullable(),
  "decision.exit_reason": z.enum(["shock", "liquidation", "time_limit", "trailing_stop"]).nullable(),
});
export type ShadowLogRecord = z.infer<typeof ShadowLogRecordSchema>;

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export function toShadowLogRecord(c: DecisionContext): ShadowLogRecord {
  const r = toDecisionRecord(c.decision);
  const p = c.position;
  return {
    timestamp: new Date(c.at).toISOString(),
    mode: c.mode,
    position_key: c.positionKey,
    symbol: p.symbol,
    side: p.side,
    size: p.size,
    entry_price: p.entryPrice,
    mark_price: p.markPrice,
    pnl_pct: round(pnlPct(p.side, p.entryPrice, p.markPrice), 4),
    toggle_version: c.toggleVersion,
    "decision.decision_type": r.decision_type,
    "decision.confidence": r.confidence,
    "decision.reason": r.reason,
    "decision.new_sl": r.new_sl,
    "decision.sl_reason": r.sl_reason,
    "decision.fraction": r.fraction,
    "decision.new_tp": r.new_tp,
    "decision.exit_reason": r.exit_reason,
  };
}

export function toShadowLogLine(c: DecisionContext): string {
  return JSON.stringify(toShadowLogRecord(c));
}

/** Parses one line of the shadow log back (e.g. for the analysis tools); throws on a bad line. */
export function parseShadowLogLine(line: string): ShadowLogRecord {
  return ShadowLogRecordSchema.parse(JSON.parse(line));
}

/** The shadow_decision row (camelCase, as the Prisma model) for the same decision. */
export interface ShadowDecisionRow {
  at: Date;
  positionKey: string;
  symbol: string;
  side: string;
  size: number;
  entryPrice: number;
  markPrice: number;
  pnlPct: number;
  decisionType: string;
  confidence: number;
  reason: string;
  newSl: number | null;
  slReason: string | null;
  fraction: number | null;
  newTp: number | null;
  exitReason: string | null;
  mode: ExecutorMode;
  toggleVersion: bigint | null;
}

export function toShadowDecisionRow(c: DecisionContext): ShadowDecisionRow {
  const r = toShadowLogRecord(c);
  return {
    at: new Date(c.at),
    positionKey: c.positionKey,
    symbol: r.symbol,
    side: r.side,
    size: r.size,
    entryPrice: r.entry_price,
    markPrice: r.mark_price,
    pnlPct: r.pnl_pct,
    decisionType: r["decision.decision_type"],
    confidence: r["decision.confidence"],
    reason: r["decision.reason"],
    newSl: r["decision.new_sl"],
    slReason: r["decision.sl_reason"],
    fraction: r["decision.fraction"],
    newTp: r["decision.new_tp"],
    exitReason: r["decision.exit_reason"],
    mode: c.mode,
    toggleVersion: c.toggleVersion === null ? null : BigInt(c.toggleVersion),
  };
}
