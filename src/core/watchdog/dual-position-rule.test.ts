import { describe, expect, it } from "vitest";
import { dualPositionRule } from "./dual-position-rule";
import { evaluateWatchdog } from "./evaluate-watchdog";
import { config, healthySnapshot, NOT_LIVE } from "./testing/snapshot";

describe("dual_position", () => {
  const dual = healthySnapshot({
    positions: [
      { symbol: "BTCUSDT", side: "long", unprotectedForMs: null, dualPosition: true },
      { symbol: "BTCUSDT", side: "short", unprotectedForMs: null, dualPosition: true },
      { symbol: "ETHUSDT", side: "long", unprotectedForMs: null, dualPosition: false },
    ],
  });

  it("does not fire without a dual position", () => {
    expect(dualPositionRule(healthySnapshot(), config())).toBeNull();
  });

  it("fires once per check, naming each symbol once", () => {
    expect(dualPositionRule(dual, config())).toEqual({
      rule: "dual_position",
      reason: "watchdog: dual_position: both a long and a short position open on BTCUSDT",
    });
  });

  it("can be switched off", () => {
    expect(dualPositionRule(dual, config({ dualPositionEnabled: false }))).toBeNull();
  });

  it.each(NOT_LIVE)("does nothing in %s", (state) => {
    expect(evaluateWatchdog({ ...dual, state }, config())).toEqual([]);
  });
});
