// The runbook's /health/exit_brain_status JSON (extra fields allowed), built from plain inputs so
// the web endpoint, the tRPC query and the CLI all print the same thing.
import type { Readiness } from "../readiness";
import { executorModeOf, type Resolution, type ToggleCeilings, type ToggleSet } from "../toggles";
import { assessMetrics, type MetricsAssessment, type MetricsPeriod } from "./metrics-assessment";
import { runbookView } from "./runbook-actions";

export interface ExitMetrics {
  total_exit_orders: number;
  blocked_legacy_orders: number;
  ownership_conflicts: number;
  orders_by_module: Record<string, number>;
  orders_by_kind: Record<string, number>;
}

export interface ExecutorInfo {
  running: boolean;
  effective_mode: "LIVE" | "SHADOW" | "OFF";
  last_decision_timestamp: string | null;
}

export interface WorkerInfo {
  up: boolean;
  worker_id: string | null;
  last_beat_at: string | null;
  seconds_since_beat: number | null;
  /** the worker's own view: false while it cannot read the toggles (it then acts as SHADOW) */
  toggle_state_confirmed: boolean | null;
  toggle_version: number | null;
}

export interface StatusReport {
  timestamp: string;
  config: {
    exit_mode: ToggleSet["EXIT_MODE"];
    exit_executor_mode: ToggleSet["EXIT_EXECUTOR_MODE"];
    exit_brain_live_rollout: ToggleSet["EXIT_BRAIN_V3_LIVE_ROLLOUT"];
    live_mode_active: boolean;
  };
  executor: ExecutorInfo;
  /** the runbook's metrics, counted over the current period (since the current state began) */
  metrics: ExitMetrics;
  operational_state: Resolution["operationalState"];
  // extras beyond the runbook's shape
  /** what "the current period" of `metrics` is */
  metrics_period: MetricsPeriod;
  /** the same counts over every stored attempt (kept RETENTION_EXIT_ORDER_ATTEMPT_DAYS) */
  metrics_lifetime: ExitMetrics;
  /** the period's metrics read as the runbook's section 7 does: healthy, red flags */
  metrics_assessment: MetricsAssessment;
  /** not LIVE, but changing this one stored toggle would make it LIVE (null otherwise) */
  armed_by: "EXIT_MODE" | "EXIT_EXECUTOR_MODE" | "EXIT_BRAIN_V3_LIVE_ROLLOUT" | null;
  toggles_version: number | null;
  stored_toggles: ToggleSet;
  ceilings: ToggleCeilings;
  warnings: string[];
  worker: WorkerInfo;
  /** the runbook's success criteria, evaluated from stored data (null when not gathered) */
  readiness: Readiness | null;
}

export interface StatusInputs {
  now: Date;
  resolution: Resolution;
  version: number | null;
  ceilings: ToggleCeilings;
  /** counted since `period` began */
  metrics: ExitMetrics;
  lifetimeMetrics: ExitMetrics;
  period: Omit<MetricsPeriod, "state">;
  worker: WorkerInfo;
  /** executor info published by the worker with its heartbeat, if any */
  executor: { running: boolean; effective_mode: string; last_decision_timestamp: string | null } | null;
  readiness?: Readiness | null;
  /** disk-pressure warnings published by the worker with its heartbeat (issue 19) */
  diskWarnings?: readonly string[];
}

export function buildStatusReport(i: StatusInputs): StatusReport {
  const r = i.resolution;
  const running = Boolean(i.worker.up && i.executor?.running);
  const mode = i.executor?.effective_mode;
  const warnings = [...r.warnings];
  if (!i.worker.up) warnings.push(i.worker.last_beat_at ? `Worker is down: last heartbeat ${i.worker.seconds_since_beat} s ago.` : "No worker has started yet.");
  if (i.worker.up && i.worker.toggle_state_confirmed === false) {
    warnings.push("The worker cannot confirm the stored toggles (database unreachable from it): it is acting as SHADOW.");
  }
  if (i.worker.up) warnings.push(...(i.diskWarnings ?? []));
  return {
    timestamp: i.now.toISOString(),
    config: {
      exit_mode: r.effective.EXIT_MODE,
      exit_executor_mode: r.effective.EXIT_EXECUTOR_MODE,
      exit_brain_live_rollout: r.effective.EXIT_BRAIN_V3_LIVE_ROLLOUT,
      live_mode_active: r.liveModeActive,
    },
    executor: {
      running,
      effective_mode: running && (mode === "LIVE" || mode === "SHADOW") ? mode : running ? executorModeOf(r.operationalState) : "OFF",
      last_decision_timestamp: i.executor?.last_decision_timestamp ?? null,
    },
    metrics: i.metrics,
    operational_state: r.operationalState,
    metrics_period: { ...i.period, state: r.operationalState },
    metrics_lifetime: i.lifetimeMetrics,
    metrics_assessment: assessMetrics(r.operationalState, i.metrics, i.worker),
    armed_by: runbookView(r.stored, i.ceilings).armedBy,
    toggles_version: i.version,
    stored_toggles: r.stored,
    ceilings: i.ceilings,
    warnings,
    worker: i.worker,
    readiness: i.readiness ?? null,
  };
}
