// Real PostgreSQL: the status metrics are counted over the current period (since the latest
// change that changed the state, by the audit row and its toggle version) with the lifetime totals
// beside them, and read the way the runbook does (healthy / red flags).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { bootToggles } from "../toggles/boot-toggles";
import { changeToggles } from "../toggles/change-toggles";
import { computeExitBrainStatus } from "./get-exit-brain-status";

let t: TestDatabase;
let n = 0;
beforeAll(async () => {
  t = await createTestDatabase("metricsperiod");
  await bootToggles(t.db, {});
});
afterAll(async () => t?.drop());

const change = (changes: Parameters<typeof changeToggles>[1]["changes"], reason: string, confirmLive = false) =>
  changeToggles(t.db, { changes, actor: "t", source: "api", reason, confirmLive, ceilings: {} });

async function attempt(module: string, outcome: "placed" | "blocked", conflict: boolean, toggleVersion: number | null) {
  n++;
  await t.db.exitOrderAttempt.create({
    data: {
      module, kind: "sl", outcome, ownershipConflict: conflict, symbol: "BTCUSDT", side: "sell", positionSide: "long", orderType: "STOP_MARKET",
      quantity: 1, reduceOnly: true, clientOrderId: `p${n}`, decisionId: `d${n}`, operationalState: "EXIT_BRAIN_V3_SHADOW",
      toggleVersion: toggleVersion === null ? null : BigInt(toggleVersion), verdict: outcome === "blocked" ? "deny" : "allow",
    },
  });
}

describe("metrics per period", () => {
  it("SHADOW: legacy orders placed count in the period; no red flag", async () => {
    const r = await change({ EXIT_MODE: "EXIT_BRAIN_V3" }, "step 1");
    const v = r.after.version;
    await attempt("position_monitor", "placed", true, v);
    await attempt("hybrid_tpsl", "placed", true, v);
    const s = await computeExitBrainStatus(t.db, { env: {} });
    expect(s.metrics_period).toMatchObject({ state: "EXIT_BRAIN_V3_SHADOW", toggle_version: v, audit_id: r.auditId });
    expect(s.metrics).toMatchObject({ total_exit_orders: 2, ownership_conflicts: 2, orders_by_module: { position_monitor: 1, hybrid_tpsl: 1 } });
    expect(s.metrics_assessment.red_flags.filter((f) => !f.startsWith("worker.up"))).toEqual([]);
  });

  it("a change that does not change the state (the dry run) keeps the period", async () => {
    const before = (await computeExitBrainStatus(t.db, { env: {} })).metrics_period;
    await change({ EXIT_EXECUTOR_MODE: "LIVE" }, "step 2");
    const s = await computeExitBrainStatus(t.db, { env: {} });
    expect(s.metrics_period).toEqual(before);
    expect(s.metrics.total_exit_orders).toBe(2);
    // the dry run: one change of the rollout would go LIVE
    expect(s.armed_by).toBe("EXIT_BRAIN_V3_LIVE_ROLLOUT");
  });

  it("after going LIVE the period starts again: SHADOW's legacy counts stay in the lifetime block only", async () => {
    const r = await change({ EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, "step 3", true);
    const v = r.after.version;
    // decided under the old version (in flight at the change): not this period's
    await attempt("position_monitor", "placed", true, v - 1);
    await attempt("exit_executor", "placed", false, v);
    await attempt("position_monitor", "blocked", true, v);
    const s = await computeExitBrainStatus(t.db, { env: {} });
    expect(s.metrics_period).toMatchObject({ state: "EXIT_BRAIN_V3_LIVE", toggle_version: v, audit_id: r.auditId });
    expect(s.metrics).toEqual({ total_exit_orders: 2, blocked_legacy_orders: 1, ownership_conflicts: 1, orders_by_module: { exit_executor: 1 }, orders_by_kind: { sl: 1 } });
    expect(s.metrics_lifetime.total_exit_orders).toBe(5);
    expect(s.metrics_lifetime.orders_by_module).toEqual({ position_monitor: 2, hybrid_tpsl: 1, exit_executor: 1 });
    expect(s.metrics_assessment.red_flags.filter((f) => !f.startsWith("worker.up"))).toEqual([]);
    expect(s.metrics_assessment.checks).toContain("position_monitor/hybrid_tpsl: 0 placed, 1 blocked since LIVE (expected).");
  });

  it("LIVE red flag: a legacy order placed with none blocked reads 'blocked 0 but legacy modules have counts'", async () => {
    const r = await change({ EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }, "kill switch");
    await change({ EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, "again", true);
    const v = r.after.version + 1;
    await attempt("hybrid_tpsl", "placed", true, v);
    const s = await computeExitBrainStatus(t.db, { env: {} });
    expect(s.metrics_assessment.healthy).toBe(false);
    expect(s.metrics_assessment.red_flags).toContain("blocked 0 but legacy modules have counts (1 placed since LIVE): legacy orders are reaching the exchange in LIVE.");
    expect(s.metrics_assessment.red_flags.some((f) => f.includes("the gateway is not blocking"))).toBe(true);
  });
});
