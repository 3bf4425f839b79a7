// The runbook's three toggles (plus the consistency flag), each with its values safest first.
// Rank = index: a higher rank is closer to LIVE.

export const TOGGLE_VALUES = {
  EXIT_MODE: ["LEGACY", "EXIT_BRAIN_V3"],
  EXIT_EXECUTOR_MODE: ["SHADOW", "LIVE"],
  EXIT_BRAIN_V3_LIVE_ROLLOUT: ["DISABLED", "ENABLED"],
} as const;

export type ToggleKey = keyof typeof TOGGLE_VALUES;
export const TOGGLE_KEYS = Object.keys(TOGGLE_VALUES) as ToggleKey[];

export type ExitMode = (typeof TOGGLE_VALUES.EXIT_MODE)[number];
export type ExecutorMode = (typeof TOGGLE_VALUES.EXIT_EXECUTOR_MODE)[number];
export type LiveRollout = (typeof TOGGLE_VALUES.EXIT_BRAIN_V3_LIVE_ROLLOUT)[number];

export interface ToggleSet {
  EXIT_MODE: ExitMode;
  EXIT_EXECUTOR_MODE: ExecutorMode;
  EXIT_BRAIN_V3_LIVE_ROLLOUT: LiveRollout;
}

/** Ceilings from the environment: an absent key means "no ceiling". */
export type ToggleCeilings = Partial<ToggleSet>;

export type OperationalState = "LEGACY" | "EXIT_BRAIN_V3_SHADOW" | "EXIT_BRAIN_V3_LIVE";
export const OPERATIONAL_STATES: readonly OperationalState[] = ["LEGACY", "EXIT_BRAIN_V3_SHADOW", "EXIT_BRAIN_V3_LIVE"];

/** The runbook's baseline (State A) and the value of a new installation. */
export const SAFEST_TOGGLES: ToggleSet = {
  EXIT_MODE: "LEGACY",
  EXIT_EXECUTOR_MODE: "SHADOW",
  EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED",
};

export function rankOf<K extends ToggleKey>(key: K, value: ToggleSet[K]): number {
  return (TOGGLE_VALUES[key] as readonly string[]).indexOf(value);
}

export function stateRank(state: OperationalState): number {
  return OPERATIONAL_STATES.indexOf(state);
}
