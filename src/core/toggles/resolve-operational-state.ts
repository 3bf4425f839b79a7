// Stored toggles + deployment ceilings -> effective toggles and the operational state.
// The single place that decides whether Exit Brain may act LIVE.
import { rankOf, TOGGLE_KEYS, type OperationalState, type ToggleCeilings, type ToggleKey, type ToggleSet } from "./toggle-definitions";

export const FORCED_SHADOW_WARNING =
  "⚠️  EXIT_EXECUTOR_MODE=LIVE but EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED. Forcing SHADOW mode for safety.";

export interface Resolution {
  stored: ToggleSet;
  effective: ToggleSet;
  /** toggles lowered by a ceiling: key -> the environment variable's value */
  limitedBy: Partial<Record<ToggleKey, string>>;
  operationalState: OperationalState;
  liveModeActive: boolean;
  warnings: string[];
}

export interface ResolveInput {
  stored: ToggleSet;
  ceilings?: ToggleCeilings;
  /** EXIT_BRAIN_V3_ENABLED, when set */
  enabledFlag?: boolean | null;
  /** warnings from parsing (bad words in the environment) */
  parseWarnings?: string[];
}

export function applyCeilings(stored: ToggleSet, ceilings: ToggleCeilings = {}): { effective: ToggleSet; limitedBy: Partial<Record<ToggleKey, string>> } {
  const effective = { ...stored };
  const limitedBy: Partial<Record<ToggleKey, string>> = {};
  for (const key of TOGGLE_KEYS) {
    const ceiling = ceilings[key];
    if (ceiling !== undefined && rankOf(key, ceiling) < rankOf(key, stored[key])) {
      (effective as Record<ToggleKey, string>)[key] = ceiling;
      limitedBy[key] = ceiling;
    }
  }
  return { effective, limitedBy };
}

export function operationalStateOf(t: ToggleSet): OperationalState {
  if (t.EXIT_MODE !== "EXIT_BRAIN_V3") return "LEGACY";
  if (t.EXIT_EXECUTOR_MODE === "LIVE" && t.EXIT_BRAIN_V3_LIVE_ROLLOUT === "ENABLED") return "EXIT_BRAIN_V3_LIVE";
  return "EXIT_BRAIN_V3_SHADOW";
}

/** The runbook's is_exit_brain_live_fully_enabled(): all three toggles aligned. */
export function isExitBrainLiveFullyEnabled(t: ToggleSet): boolean {
  return operationalStateOf(t) === "EXIT_BRAIN_V3_LIVE";
}

export function resolveOperationalState(input: ResolveInput): Resolution {
  const { effective, limitedBy } = applyCeilings(input.stored, input.ceilings);
  const operationalState = operationalStateOf(effective);
  const warnings = [...(input.parseWarnings ?? [])];
  for (const [key, value] of Object.entries(limitedBy)) {
    warnings.push(`${key} is stored as ${input.stored[key as ToggleKey]} but the environment caps it at ${key}=${value}.`);
  }
  if (effective.EXIT_MODE === "EXIT_BRAIN_V3" && effective.EXIT_EXECUTOR_MODE === "LIVE" && effective.EXIT_BRAIN_V3_LIVE_ROLLOUT === "DISABLED") {
    warnings.push(FORCED_SHADOW_WARNING);
  }
  const flag = input.enabledFlag;
  if (flag !== undefined && flag !== null && flag !== (effective.EXIT_MODE === "EXIT_BRAIN_V3")) {
    warnings.push(
      `EXIT_BRAIN_V3_ENABLED=${flag} does not match EXIT_MODE=${effective.EXIT_MODE} (consistency flag only; EXIT_MODE decides).`,
    );
  }
  return {
    stored: input.stored,
    effective,
    limitedBy,
    operationalState,
    liveModeActive: operationalState === "EXIT_BRAIN_V3_LIVE",
    warnings,
  };
}
