import { describe, expect, it } from "vitest";
import { evaluateWatchdog } from "./evaluate-watchdog";
import { heartbeatStaleRule } from "./heartbeat-stale-rule";
import { config, healthySnapshot, NOT_LIVE } from "./testing/snapshot";

describe("heartbeat_stale", () => {
  const cfg = config({ heartbeatStaleS: 10 });

  it("does not fire at exactly the threshold", () => {
    expect(heartbeatStaleRule(healthySnapshot({ heartbeatAgeMs: 10_000 }), cfg)).toBeNull();
  });

  it("fires just above the threshold, naming the age and the threshold", () => {
    expect(heartbeatStaleRule(healthySnapshot({ heartbeatAgeMs: 12_345 }), cfg)).toEqual({
      rule: "heartbeat_stale",
      reason: "watchdog: heartbeat_stale: executor heartbeat 12.3 s old > 10 s",
    });
    expect(heartbeatStaleRule(healthySnapshot({ heartbeatAgeMs: 10_001 }), cfg)?.rule).toBe("heartbeat_stale");
  });

  it("fires when no heartbeat was ever recorded", () => {
    expect(heartbeatStaleRule(healthySnapshot({ heartbeatAgeMs: null }), cfg)?.reason).toMatch(/no executor heartbeat has ever been recorded/);
  });

  it.each(NOT_LIVE)("does nothing in %s", (state) => {
    expect(evaluateWatchdog(healthySnapshot({ state, heartbeatAgeMs: 60_000 }), cfg)).toEqual([]);
  });
});
