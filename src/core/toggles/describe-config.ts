// The runbook's log wording for a toggle configuration, in one place.
import type { OperationalState, ToggleSet } from "./toggle-definitions";

export function configLine(t: ToggleSet): string {
  return `EXIT_MODE=${t.EXIT_MODE}, EXIT_EXECUTOR_MODE=${t.EXIT_EXECUTOR_MODE}, EXIT_BRAIN_V3_LIVE_ROLLOUT=${t.EXIT_BRAIN_V3_LIVE_ROLLOUT}`;
}

export const LIVE_BANNER =
  "🔴 EXIT BRAIN V3 LIVE MODE ACTIVE 🔴 AI executor will place real orders. Legacy exit modules will be blocked.";

/** "LIVE" | "SHADOW" | "OFF": what the executor does in a state. */
export function executorModeOf(state: OperationalState): "LIVE" | "SHADOW" | "OFF" {
  if (state === "EXIT_BRAIN_V3_LIVE") return "LIVE";
  if (state === "EXIT_BRAIN_V3_SHADOW") return "SHADOW";
  return "OFF";
}

export function stateEmoji(state: OperationalState): string {
  if (state === "EXIT_BRAIN_V3_LIVE") return "🔴";
  if (state === "EXIT_BRAIN_V3_SHADOW") return "🟡";
  return "🟢";
}
