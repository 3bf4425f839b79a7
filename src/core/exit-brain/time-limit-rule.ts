// Close stale positions: capital tied up past maxHoldMs earns little and carries funding and
// gap risk. `now` is injected (core never reads the clock).
import type { BrainState } from "./brain-state";
import type { FullExitDecision } from "./decision";
import type { ExitBrainParams } from "./params";
import { timeLimitReason } from "./reason-text";

export function timeLimitRule(state: BrainState, p: ExitBrainParams, pnl: number, now: number): FullExitDecision | null {
  if (p.maxHoldMs <= 0) return null;
  const held = now - state.openedAt;
  if (held < p.maxHoldMs) return null;
  return { type: "full_exit_now", exitReason: "time_limit", confidence: 0.6, reason: timeLimitReason(pnl, held) };
}
