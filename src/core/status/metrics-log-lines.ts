// The runbook's [EXIT_METRICS] summary lines (Python-dict style maps, as operators grep them).
import type { OperationalState } from "../toggles";
import type { ExitMetrics } from "./status-report";

const pyDict = (r: Record<string, number>) => `{${Object.entries(r).map(([k, v]) => `'${k}': ${v}`).join(", ")}}`;

export function modeLabel(state: OperationalState): string {
  if (state === "EXIT_BRAIN_V3_LIVE") return "EXIT_BRAIN_V3 (LIVE)";
  if (state === "EXIT_BRAIN_V3_SHADOW") return "EXIT_BRAIN_V3 (SHADOW)";
  return "LEGACY";
}

export function metricsLogLines(m: ExitMetrics, state: OperationalState): string[] {
  const lines = [
    `[EXIT_METRICS] Summary: total_orders=${m.total_exit_orders}, conflicts=${m.ownership_conflicts}, blocked=${m.blocked_legacy_orders}, mode=${modeLabel(state)}`,
    `[EXIT_METRICS] Orders by module: ${pyDict(m.orders_by_module)}`,
    `[EXIT_METRICS] Orders by kind: ${pyDict(m.orders_by_kind)}`,
  ];
  if (m.blocked_legacy_orders > 0 && state === "EXIT_BRAIN_V3_LIVE") {
    lines.push(`[EXIT_METRICS] 🛑 Blocked ${m.blocked_legacy_orders} legacy module orders in EXIT_BRAIN_V3 LIVE mode (expected behavior).`);
  }
  return lines;
}
