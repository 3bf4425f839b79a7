// The executor's log lines in the runbook's exact wording, in one place, so operators' greps
// (`grep EXIT_BRAIN`) and the tests agree. Pure formatting: no clock, no I/O.
import type { Decision } from "../exit-brain";
import type { Side } from "../market/types";
import { configLine, FORCED_SHADOW_WARNING, type ToggleSet } from "../toggles";

export type ExecutorMode = "SHADOW" | "LIVE";

export const EXECUTOR_LIVE_BANNER =
  "[EXIT_BRAIN_EXECUTOR] 🔴 LIVE MODE ACTIVE 🔴 - AI will place real orders via exit_order_gateway. Legacy modules will be blocked.";

export const EXECUTOR_FORCED_SHADOW_LINE = `[EXIT_BRAIN_EXECUTOR] ${FORCED_SHADOW_WARNING}`;

/** `effective` null = the toggle state is not confirmed yet (treated as SHADOW). */
export function initializedLine(mode: ExecutorMode, effective: ToggleSet | null): string {
  const config = effective ? configLine(effective) : "unconfirmed (database unreachable; treated as SHADOW)";
  return `[EXIT_BRAIN_EXECUTOR] Initialized in ${mode} MODE - Config: ${config}`;
}

export function startingLoopLine(intervalS: number, mode: ExecutorMode): string {
  return `[EXIT_BRAIN_EXECUTOR] Starting monitoring loop (interval=${intervalS.toFixed(1)}s, mode=${mode})`;
}

export function modeChangedLine(from: ExecutorMode, to: ExecutorMode, version: number | null): string {
  return `[EXIT_BRAIN_EXECUTOR] Mode changed ${from} -> ${to} (toggle version ${version ?? "unconfirmed"}); takes effect on the next evaluation`;
}

export const STOPPED_FOR_LEGACY_LINE = "[EXIT_BRAIN_EXECUTOR] EXIT_MODE=LEGACY: monitoring loop stopped; the legacy modules own exits.";

/** What the shadow line shows about the position the decision was made for. */
export interface DecisionSubject {
  symbol: string;
  side: Side;
  size: number;
  pnlPct: number;
}

const money = (x: number): string => `$${x.toFixed(4)}`;
const signedPct = (x: number): string => `${x >= 0 ? "+" : ""}${x.toFixed(2)}%`;

/**
 * `[EXIT_BRAIN_SHADOW] BTCUSDT long size=1.5000 pnl=+2.34% type=move_sl new_sl=$96500.0000
 * sl_reason=breakeven reason='SL adjustment (breakeven): pnl=2.34%' conf=0.80`; the
 * type-specific fields appear only for the decision types that have them.
 */
export function shadowDecisionLine(s: DecisionSubject, d: Decision): string {
  const parts = [`[EXIT_BRAIN_SHADOW] ${s.symbol} ${s.side} size=${s.size.toFixed(4)} pnl=${signedPct(s.pnlPct)} type=${d.type}`];
  if (d.type === "move_sl") parts.push(`new_sl=${money(d.newSl)} sl_reason=${d.slReason}`);
  if (d.type === "partial_close") parts.push(`fraction=${d.fraction.toFixed(2)}`);
  if (d.type === "set_tp") parts.push(`new_tp=${money(d.newTp)}`);
  if (d.type === "full_exit_now") parts.push(`exit_reason=${d.exitReason}`);
  parts.push(`reason='${d.reason}' conf=${d.confidence.toFixed(2)}`);
  return parts.join(" ");
}

/** `[EXIT_BRAIN_LIVE] Executing move_sl for BTCUSDT long: SL adjustment (breakeven): pnl=2.10%` */
export function liveExecutingLine(s: Pick<DecisionSubject, "symbol" | "side">, d: Decision): string {
  return `[EXIT_BRAIN_LIVE] Executing ${d.type} for ${s.symbol} ${s.side}: ${d.reason}`;
}
