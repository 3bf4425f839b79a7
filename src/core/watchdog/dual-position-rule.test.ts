import { describe, expect, it } from "vitest";
import { dualPositionRule } from "./dual-position-rule";
import { evaluateWatchdog } from "./evaluate-watchdog";
import { publishedPositionMode } from "./watchdog-snapshot";
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

  it("position mode: silent in hedge mode (both sides is how the account is used); fires in one-way mode and when the mode is unknown", () => {
    expect(dualPositionRule({ ...dual, positionMode: "hedge" }, config())).toBeNull();
    expect(dualPositionRule({ ...dual, positionMode: "one-way" }, config())?.rule).toBe("dual_position");
    expect(dualPositionRule({ ...dual, positionMode: null }, config())?.rule).toBe("dual_position");
    expect(evaluateWatchdog({ ...dual, positionMode: "hedge" }, config())).toEqual([]);
  });

  it("the published mode: the leader's row first, then the freshest; a row that does not say is skipped", () => {
    expect(publishedPositionMode([])).toBeNull();
    expect(publishedPositionMode([{ ageMs: 1, leader: false, positionMode: null }])).toBeNull();
    expect(publishedPositionMode([{ ageMs: 5, leader: false, positionMode: "one-way" }, { ageMs: 1, leader: false, positionMode: "hedge" }])).toBe("hedge");
    expect(publishedPositionMode([{ ageMs: 9, leader: true, positionMode: "hedge" }, { ageMs: 1, leader: false, positionMode: "one-way" }])).toBe("hedge");
  });
});
