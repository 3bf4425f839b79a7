// The status JSON has the runbook's shape (keys and types of its sample), its metrics match the
// stored attempts, and it carries no position details or secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { bootToggles } from "../toggles/boot-toggles";
import { changeToggles } from "../toggles/change-toggles";
import { getExitBrainStatus } from "./get-exit-brain-status";
import { getExitMetrics, getExitMetricsWithLifetime } from "./get-exit-metrics";

// The runbook's "Health Check Endpoint" response, verbatim.
const RUNBOOK_SAMPLE = {
  timestamp: "2025-12-10T22:15:00Z",
  config: { exit_mode: "EXIT_BRAIN_V3", exit_executor_mode: "LIVE", exit_brain_live_rollout: "ENABLED", live_mode_active: true },
  executor: { running: true, effective_mode: "LIVE", last_decision_timestamp: "2025-12-10T22:14:55Z" },
  metrics: {
    total_exit_orders: 67, blocked_legacy_orders: 18, ownership_conflicts: 18,
    orders_by_module: { exit_executor: 49 }, orders_by_kind: { sl: 20, tp: 18, partial_tp: 11 },
  },
  operational_state: "EXIT_BRAIN_V3_LIVE",
};

function shape(v: unknown): unknown {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

/** Every key of the sample exists with the same type (records of counts compared as records). */
function assertShape(sample: unknown, actual: unknown, path = "$"): void {
  if (sample !== null && typeof sample === "object") {
    expect(actual, path).toBeTypeOf("object");
    const isCountRecord = path.endsWith("orders_by_module") || path.endsWith("orders_by_kind");
    if (isCountRecord) {
      for (const v of Object.values(actual as object)) expect(typeof v, path).toBe("number");
      return;
    }
    for (const [k, v] of Object.entries(sample)) {
      expect(Object.keys(actual as object), path).toContain(k);
      assertShape(v, (actual as Record<string, unknown>)[k], `${path}.${k}`);
    }
    return;
  }
  if (path.endsWith("last_decision_timestamp")) expect(["string", "null"], path).toContain(shape(actual));
  else expect(typeof actual, path).toBe(typeof sample);
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("status");
  await bootToggles(t.db, {});
  await changeToggles(t.db, {
    changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" },
    actor: "t", source: "api", reason: "live", confirmLive: true, ceilings: {},
  });
  const rows: [string, string, string, boolean][] = [
    ["exit_executor", "sl", "placed", false], ["exit_executor", "sl", "placed", false], ["exit_executor", "partial_tp", "placed", false],
    ["position_monitor", "sl", "blocked", true], ["hybrid_tpsl", "tp", "blocked", true], ["exit_executor", "tp", "failed", false],
  ];
  let i = 0;
  for (const [module, kind, outcome, conflict] of rows) {
    await t.db.exitOrderAttempt.create({
      data: {
        module, kind, outcome, ownershipConflict: conflict, symbol: "BTCUSDT", side: "sell", positionSide: "long", orderType: "STOP_MARKET",
        quantity: 1, reduceOnly: true, clientOrderId: `c${i++}`, decisionId: `d${i}`, operationalState: "EXIT_BRAIN_V3_LIVE",
        verdict: outcome === "blocked" ? "deny" : "allow",
      },
    });
  }
});
afterAll(async () => t?.drop());

describe("getExitBrainStatus", () => {
  it("has every key of the runbook's sample, with the same types", async () => {
    const s = await getExitBrainStatus(t.db, { env: {} });
    assertShape(RUNBOOK_SAMPLE, JSON.parse(JSON.stringify(s)));
    expect(s.operational_state).toBe("EXIT_BRAIN_V3_LIVE");
    expect(s.config.live_mode_active).toBe(true);
  });

  it("metrics match the stored attempts", async () => {
    expect(await getExitMetrics(t.db)).toEqual({
      total_exit_orders: 6,
      blocked_legacy_orders: 2,
      ownership_conflicts: 2,
      orders_by_module: { exit_executor: 3 },
      orders_by_kind: { sl: 2, partial_tp: 1 },
    });
    // these attempts carry no toggle version: a period counts them by time
    const later = await getExitMetricsWithLifetime(t.db, { since: new Date(Date.now() + 60_000), sinceVersion: 1 });
    expect(later.window.total_exit_orders).toBe(0);
    expect(later.lifetime.total_exit_orders).toBe(6);
    const earlier = await getExitMetricsWithLifetime(t.db, { since: new Date(Date.now() - 3_600_000), sinceVersion: 1 });
    expect(earlier.window).toEqual(earlier.lifetime);
  });

  it("applies this process's environment ceilings and says so", async () => {
    const s = await getExitBrainStatus(t.db, { env: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" } });
    expect(s.operational_state).toBe("EXIT_BRAIN_V3_SHADOW");
    expect(s.ceilings).toEqual({ EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
    expect(s.warnings.join("\n")).toMatch(/caps it at EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED/);
  });

  it("leaks no position or key", async () => {
    const text = JSON.stringify(await getExitBrainStatus(t.db, { env: { BINANCE_API_SECRET: "s3cr3t-value" } }));
    expect(text).not.toMatch(/s3cr3t|entry_price|unrealized|positions/i);
  });

  // Last: it changes the stored toggles.
  it("the live read is served from a short cache, and a toggle change shows on the very next read", async () => {
    const a = await getExitBrainStatus(t.db);
    expect(await getExitBrainStatus(t.db)).toBe(a); // the same object: no recomputation
    expect((await getExitBrainStatus(t.db, { fresh: true })).toggles_version).toBe(a.toggles_version);
    await changeToggles(t.db, { changes: { EXIT_EXECUTOR_MODE: "SHADOW" }, actor: "t", source: "api", reason: "kill switch", ceilings: {} });
    const b = await getExitBrainStatus(t.db);
    expect(b.toggles_version).toBe((a.toggles_version ?? 0) + 1);
    expect(b.config.exit_executor_mode).toBe("SHADOW");
    expect(b.operational_state).toBe("EXIT_BRAIN_V3_SHADOW");
  });
});

