import { describe, expect, it } from "vitest";
import { metricsLogLines } from "./metrics-log-lines";

describe("metricsLogLines", () => {
  it("prints the runbook's summary lines", () => {
    const m = { total_exit_orders: 67, blocked_legacy_orders: 18, ownership_conflicts: 18, orders_by_module: { exit_executor: 49 }, orders_by_kind: { sl: 20, tp: 18, partial_tp: 11 } };
    expect(metricsLogLines(m, "EXIT_BRAIN_V3_LIVE")).toEqual([
      "[EXIT_METRICS] Summary: total_orders=67, conflicts=18, blocked=18, mode=EXIT_BRAIN_V3 (LIVE)",
      "[EXIT_METRICS] Orders by module: {'exit_executor': 49}",
      "[EXIT_METRICS] Orders by kind: {'sl': 20, 'tp': 18, 'partial_tp': 11}",
      "[EXIT_METRICS] 🛑 Blocked 18 legacy module orders in EXIT_BRAIN_V3 LIVE mode (expected behavior).",
    ]);
  });
  it("has no blocked line outside LIVE or when nothing was blocked", () => {
    const m = { total_exit_orders: 3, blocked_legacy_orders: 0, ownership_conflicts: 3, orders_by_module: {}, orders_by_kind: {} };
    expect(metricsLogLines(m, "EXIT_BRAIN_V3_SHADOW")).toHaveLength(3);
    expect(metricsLogLines(m, "EXIT_BRAIN_V3_SHADOW")[0]).toContain("mode=EXIT_BRAIN_V3 (SHADOW)");
  });
});
