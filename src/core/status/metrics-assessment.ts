// Reads the metrics of the current period (since the operational state began) the way the
// runbook's section 7 does: what is healthy, and the red flags ("roll back first, investigate
// after"). Lifetime totals cannot answer these questions: after going LIVE, legacy counts from the
// SHADOW weeks would read as "legacy orders reaching the exchange".
import { isLegacyModule } from "../gateway/modules";
import type { OperationalState } from "../toggles";
import type { ExitMetrics, WorkerInfo } from "./status-report";

export interface MetricsPeriod {
  /** when the current state began: the audit row of the latest change that changed the state */
  since: string | null;
  /** the toggle version that began it; attempts decided under an older version are not counted */
  toggle_version: number | null;
  audit_id: number | null;
  state: OperationalState;
}

export interface MetricsAssessment {
  healthy: boolean;
  /** the runbook's red flags that hold now, each "what you see: what it means" */
  red_flags: string[];
  /** what the runbook says to check, that holds (or is not yet decidable) */
  checks: string[];
}

const sum = (r: Record<string, number>, pick: (k: string) => boolean) => Object.entries(r).reduce((n, [k, v]) => (pick(k) ? n + v : n), 0);

export function assessMetrics(state: OperationalState, period: ExitMetrics, worker: Pick<WorkerInfo, "up" | "toggle_state_confirmed" | "seconds_since_beat">): MetricsAssessment {
  const red: string[] = [];
  const checks: string[] = [];
  const legacyPlaced = sum(period.orders_by_module, isLegacyModule);
  const executorPlaced = period.orders_by_module.exit_executor ?? 0;
  if (!worker.up) red.push(`worker.up false${worker.seconds_since_beat !== null ? ` (last beat ${worker.seconds_since_beat} s ago)` : ""}: the worker is down.`);
  else if (worker.toggle_state_confirmed === false) red.push("toggle_state_confirmed false: the worker is cut off from the database and acts as SHADOW.");

  if (state === "EXIT_BRAIN_V3_LIVE") {
    if (legacyPlaced > 0) {
      red.push(
        period.blocked_legacy_orders === 0
          ? `blocked 0 but legacy modules have counts (${legacyPlaced} placed since LIVE): legacy orders are reaching the exchange in LIVE.`
          : `${legacyPlaced} legacy order(s) placed since LIVE (${period.blocked_legacy_orders} blocked): legacy orders are reaching the exchange in LIVE.`,
      );
    }
    if (period.ownership_conflicts > period.blocked_legacy_orders) {
      red.push(`ownership_conflicts ${period.ownership_conflicts} > blocked_legacy_orders ${period.blocked_legacy_orders} since LIVE: the gateway is not blocking.`);
    }
    if (legacyPlaced === 0 && period.blocked_legacy_orders > 0) checks.push(`position_monitor/hybrid_tpsl: 0 placed, ${period.blocked_legacy_orders} blocked since LIVE (expected).`);
    if (legacyPlaced === 0 && period.blocked_legacy_orders === 0) checks.push("No legacy attempt since LIVE yet.");
    checks.push(
      executorPlaced > 0
        ? `exit_executor: ${executorPlaced} placed since LIVE.`
        : "exit_executor: none placed since LIVE yet; a red flag once a position needed a stop (look for [EXIT_BRAIN_LIVE] … not placed).",
    );
  } else {
    // Outside LIVE the executor must place nothing (Step 1, and the dry run of Step 2).
    if (executorPlaced > 0) red.push(`exit_executor placed ${executorPlaced} order(s) since the state became ${state}: the executor acts outside LIVE.`);
    else checks.push(`exit_executor: 0 placed since the state became ${state} (expected).`);
    if (state === "EXIT_BRAIN_V3_SHADOW") checks.push(`Legacy modules own exits: ${legacyPlaced} placed, ${period.ownership_conflicts} ownership conflict(s) logged since SHADOW began (expected).`);
  }
  return { healthy: red.length === 0, red_flags: red, checks };
}
