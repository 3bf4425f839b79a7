import { describe, expect, it } from "vitest";
import { evaluateWatchdog, rollbackReason } from "./evaluate-watchdog";
import { config, healthySnapshot } from "./testing/snapshot";
import { DEFAULT_WATCHDOG_CONFIG, watchdogConfigSchema } from "./watchdog-config";
import { executorHeartbeatAge } from "./watchdog-snapshot";

describe("evaluateWatchdog", () => {
  it("a healthy LIVE snapshot fires nothing", () => {
    expect(evaluateWatchdog(healthySnapshot(), config())).toEqual([]);
  });

  it("reports every rule that fired, in a fixed order, joined into one rollback reason", () => {
    const s = healthySnapshot({
      heartbeatAgeMs: 11_000,
      positions: [{ symbol: "BTCUSDT", side: "long", unprotectedForMs: 40_000, dualPosition: true }],
    });
    const fired = evaluateWatchdog(s, config());
    expect(fired.map((f) => f.rule)).toEqual(["heartbeat_stale", "unprotected_position", "dual_position"]);
    expect(rollbackReason(fired)).toBe(
      "watchdog: heartbeat_stale: executor heartbeat 11.0 s old > 10 s; watchdog: unprotected_position: no exchange-side stop: BTCUSDT long for 40.0 s > 30 s; watchdog: dual_position: both a long and a short position open on BTCUSDT",
    );
  });

  it("never acts when disabled", () => {
    expect(evaluateWatchdog(healthySnapshot({ heartbeatAgeMs: null }), config({ enabled: false }))).toEqual([]);
  });
});

describe("watchdog config", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_WATCHDOG_CONFIG).toEqual({
      enabled: true, heartbeatStaleS: 10, errorRateThreshold: 0.5, errorWindowS: 60, errorMinSample: 10, unprotectedMaxS: 30,
      dualPositionEnabled: true, dailyLossLimit: null, quoteAsset: "USDT", checkIntervalMs: 1000, webhookUrl: null, webhookTimeoutMs: 5000,
    });
  });

  it("refuses a webhook that is not an http(s) URL, and a rate outside 0..1", () => {
    const bad = watchdogConfigSchema.safeParse({ webhookUrl: "ftp://example.com/hook", errorRateThreshold: 1.5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(["errorRateThreshold", "webhookUrl"]);
  });
});

describe("executorHeartbeatAge", () => {
  it("prefers the HA leader's row, so a fresh standby cannot hide a dead leader", () => {
    expect(executorHeartbeatAge([{ ageMs: 500, leader: false }, { ageMs: 20_000, leader: true }])).toBe(20_000);
  });
  it("uses the freshest row when no row is marked leader, and null when there are none", () => {
    expect(executorHeartbeatAge([{ ageMs: 9_000, leader: false }, { ageMs: 700, leader: false }])).toBe(700);
    expect(executorHeartbeatAge([])).toBeNull();
  });
});
