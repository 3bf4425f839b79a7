// Which of the runbook's steps and rollbacks make sense from the current toggles, and whether the
// stored toggles are "armed" (one toggle change away from LIVE). Pure: the Controls page shows what
// this returns; the services still enforce every gate (ceilings, reason, confirmation, readiness,
// approval) whatever a page offers.
import {
  applyCeilings,
  executorModeOf,
  operationalStateOf,
  TOGGLE_KEYS,
  TOGGLE_VALUES,
  type OperationalState,
  type ToggleCeilings,
  type ToggleKey,
  type ToggleSet,
} from "../toggles";

/** Where the operator stands in the runbook (section 2 of the operator guide). */
export type RunbookStage = "legacy" | "shadow" | "dry_run" | "live";

export type RunbookStepId = "step1_shadow" | "step2_dry_run" | "step3_live";
export type RollbackId = "kill-switch" | "shadow" | "legacy";

export interface RunbookStep {
  id: RunbookStepId;
  title: string;
  /** the toggles this step writes (services classify and gate the change) */
  changes: Partial<ToggleSet>;
  /** the runbook's explanation, one paragraph */
  explanation: string;
  /** the lines to expect in the worker log within a second */
  expectLog: string[];
  /** the state after the step (with this deployment's ceilings) */
  stateAfter: OperationalState;
}

export interface RollbackOption {
  id: RollbackId;
  title: string;
  changes: Partial<ToggleSet>;
  stateAfter: OperationalState;
}

export interface RunbookView {
  stage: RunbookStage;
  state: OperationalState;
  /** what the executor does in this state: the one answer both the Toggles and Executor cards show */
  effectiveMode: "LIVE" | "SHADOW" | "OFF";
  /** the steps offered now (at most one forward step, plus Step 3 where it applies) */
  steps: RunbookStep[];
  /** rollbacks that would change a stored toggle */
  rollbacks: RollbackOption[];
  /** not LIVE, but changing this one toggle (to its live value) would make it LIVE */
  armedBy: ToggleKey | null;
}

const LIVE_VALUE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };

export const STEP_TEXT: Record<RunbookStepId, Omit<RunbookStep, "stateAfter" | "changes">> = {
  step1_shadow: {
    id: "step1_shadow",
    title: "Start SHADOW (Step 1)",
    explanation:
      "Exit Brain evaluates every open position, logs and records each decision, and places nothing; the legacy modules still place every exit (each counted as an ownership conflict). Let it run for the observation period and review the Shadow page before Step 2.",
    expectLog: [
      "[EXIT_MODE] Configuration loaded: EXIT_MODE=EXIT_BRAIN_V3, EXIT_EXECUTOR_MODE=SHADOW, EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED (version N, state EXIT_BRAIN_V3_SHADOW)",
      "[EXIT_BRAIN_EXECUTOR] Initialized in SHADOW MODE - Config: …",
      "[EXIT_BRAIN_EXECUTOR] Starting monitoring loop (interval=10.0s, mode=SHADOW)",
      "[EXIT_BRAIN_SHADOW] SYMBOL side size=… pnl=… type=… reason='…' conf=…",
      "[EXIT_GUARD] 🚨 OWNERSHIP CONFLICT: Legacy module 'position_monitor' placing sl …",
    ],
  },
  step2_dry_run: {
    id: "step2_dry_run",
    title: "Dry run: executor LIVE, rollout DISABLED (Step 2)",
    explanation:
      "Arms the executor mode while the kill switch is still off, to prove that the rollout flag alone keeps the system in SHADOW. The state stays EXIT_BRAIN_V3_SHADOW with the forced-SHADOW warning; no exit_executor order appears on the Orders page.",
    expectLog: [
      "[EXIT_MODE] Configuration loaded: EXIT_MODE=EXIT_BRAIN_V3, EXIT_EXECUTOR_MODE=LIVE, EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED (version N, state EXIT_BRAIN_V3_SHADOW)",
      "[EXIT_MODE] ⚠️  EXIT_EXECUTOR_MODE=LIVE but EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED. Forcing SHADOW mode for safety.",
      "[EXIT_BRAIN_SHADOW] lines continue",
    ],
  },
  step3_live: {
    id: "step3_live",
    title: "Go LIVE (Step 3)",
    explanation:
      "Exit Brain places real exit orders through the gateway and the legacy modules are blocked. Only with the readiness checklist green, someone watching, and the rollbacks at hand; the watchdog pulls the kill switch by itself on a stale heartbeat, errors, a bare position, a dual position or the daily loss limit.",
    expectLog: [
      "[EXIT_MODE] Configuration loaded: EXIT_MODE=EXIT_BRAIN_V3, EXIT_EXECUTOR_MODE=LIVE, EXIT_BRAIN_V3_LIVE_ROLLOUT=ENABLED (version N, state EXIT_BRAIN_V3_LIVE)",
      "[EXIT_MODE] 🔴 EXIT BRAIN V3 LIVE MODE ACTIVE 🔴 …",
      "[EXIT_BRAIN_EXECUTOR] Mode changed SHADOW -> LIVE (toggle version N); takes effect on the next evaluation",
      "[EXIT_BRAIN_LIVE] Taking over SYMBOL side: existing stop=…, tp=…",
      "[EXIT_GUARD] 🛑 BLOCKED: Legacy module 'position_monitor' attempted to place sl …",
    ],
  },
};

const ROLLBACKS: { id: RollbackId; title: string; changes: Partial<ToggleSet> }[] = [
  { id: "kill-switch", title: "Rollback A: kill switch", changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" } },
  { id: "shadow", title: "Rollback B: to SHADOW", changes: { EXIT_EXECUTOR_MODE: "SHADOW" } },
  { id: "legacy", title: "Rollback C: to LEGACY", changes: { EXIT_MODE: "LEGACY" } },
];

export function stageOf(stored: ToggleSet, ceilings: ToggleCeilings = {}): RunbookStage {
  const eff = applyCeilings(stored, ceilings).effective;
  const state = operationalStateOf(eff);
  if (state === "LEGACY") return "legacy";
  if (state === "EXIT_BRAIN_V3_LIVE") return "live";
  return eff.EXIT_EXECUTOR_MODE === "LIVE" ? "dry_run" : "shadow";
}

const stateWith = (stored: ToggleSet, changes: Partial<ToggleSet>, ceilings: ToggleCeilings) =>
  operationalStateOf(applyCeilings({ ...stored, ...changes }, ceilings).effective);

const changesSomething = (stored: ToggleSet, changes: Partial<ToggleSet>) =>
  (Object.keys(changes) as ToggleKey[]).some((k) => changes[k] !== stored[k]);

export function runbookView(stored: ToggleSet, ceilings: ToggleCeilings = {}): RunbookView {
  const state = operationalStateOf(applyCeilings(stored, ceilings).effective);
  const stage = stageOf(stored, ceilings);
  const stepChanges: Record<RunbookStepId, Partial<ToggleSet>> = {
    step1_shadow: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "SHADOW" },
    // The rollout is written DISABLED too: after Rollback B it may still be stored ENABLED, and
    // arming the executor then would go LIVE instead of dry-running.
    step2_dry_run: { EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" },
    step3_live: { ...LIVE_VALUE },
  };
  // The runbook's order: LEGACY -> Step 1; SHADOW -> Step 2; dry run -> Step 3. Skipping a step is
  // still possible with the CLI/API (the services decide), but the dashboard walks the runbook.
  const offered: RunbookStepId[] = stage === "legacy" ? ["step1_shadow"] : stage === "shadow" ? ["step2_dry_run"] : stage === "dry_run" ? ["step3_live"] : [];
  const steps = offered
    .filter((id) => changesSomething(stored, stepChanges[id]))
    .map((id) => ({ ...STEP_TEXT[id], changes: stepChanges[id], stateAfter: stateWith(stored, stepChanges[id], ceilings) }));
  const rollbacks = ROLLBACKS.filter((r) => changesSomething(stored, r.changes)).map((r) => ({ ...r, stateAfter: stateWith(stored, r.changes, ceilings) }));
  let armedBy: ToggleKey | null = null;
  if (state !== "EXIT_BRAIN_V3_LIVE") {
    for (const k of TOGGLE_KEYS) {
      if (stored[k] === LIVE_VALUE[k]) continue;
      if (stateWith(stored, { [k]: TOGGLE_VALUES[k][1] }, ceilings) === "EXIT_BRAIN_V3_LIVE") armedBy = k;
    }
  }
  return { stage, state, effectiveMode: executorModeOf(state), steps, rollbacks, armedBy };
}
