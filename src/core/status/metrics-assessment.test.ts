import { describe, expect, it } from "vitest";
import { assessMetrics } from "./metrics-assessment";
import type { ExitMetrics } from "./status-report";

const up = { up: true, toggle_state_confirmed: true, seconds_since_beat: 0 };
const m = (o: Partial<ExitMetrics>): ExitMetrics => ({ total_exit_orders: 0, blocked_legacy_orders: 0, ownership_conflicts: 0, orders_by_module: {}, orders_by_kind: {}, ...o });

describe("assessMetrics (runbook section 7)", () => {
  it("LIVE, legacy blocked and executor placing: healthy", () => {
    const a = assessMetrics("EXIT_BRAIN_V3_LIVE", m({ blocked_legacy_orders: 3, ownership_conflicts: 3, orders_by_module: { exit_executor: 2 } }), up);
    expect(a).toEqual({ healthy: true, red_flags: [], checks: ["position_monitor/hybrid_tpsl: 0 placed, 3 blocked since LIVE (expected).", "exit_executor: 2 placed since LIVE."] });
  });

  it("LIVE, a legacy module placed and nothing blocked: the runbook's red flag", () => {
    const a = assessMetrics("EXIT_BRAIN_V3_LIVE", m({ ownership_conflicts: 1, orders_by_module: { position_monitor: 1 } }), up);
    expect(a.healthy).toBe(false);
    expect(a.red_flags).toEqual([
      "blocked 0 but legacy modules have counts (1 placed since LIVE): legacy orders are reaching the exchange in LIVE.",
      "ownership_conflicts 1 > blocked_legacy_orders 0 since LIVE: the gateway is not blocking.",
    ]);
  });

  it("SHADOW (or the dry run): an executor order is a red flag; legacy orders are expected", () => {
    expect(assessMetrics("EXIT_BRAIN_V3_SHADOW", m({ orders_by_module: { position_monitor: 4 }, ownership_conflicts: 4 }), up).healthy).toBe(true);
    const a = assessMetrics("EXIT_BRAIN_V3_SHADOW", m({ orders_by_module: { exit_executor: 1 } }), up);
    expect(a.red_flags).toEqual(["exit_executor placed 1 order(s) since the state became EXIT_BRAIN_V3_SHADOW: the executor acts outside LIVE."]);
  });

  it("a worker that is down or cut off is a red flag in any state", () => {
    expect(assessMetrics("LEGACY", m({}), { up: false, toggle_state_confirmed: null, seconds_since_beat: 42 }).red_flags).toEqual(["worker.up false (last beat 42 s ago): the worker is down."]);
    expect(assessMetrics("LEGACY", m({}), { up: true, toggle_state_confirmed: false, seconds_since_beat: 0 }).red_flags[0]).toMatch(/^toggle_state_confirmed false/);
  });
});
