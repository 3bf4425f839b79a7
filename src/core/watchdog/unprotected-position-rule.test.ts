import { describe, expect, it } from "vitest";
import { evaluateWatchdog } from "./evaluate-watchdog";
import { config, healthySnapshot, NOT_LIVE } from "./testing/snapshot";
import { unprotectedPositionRule } from "./unprotected-position-rule";

describe("unprotected_position", () => {
  const cfg = config({ unprotectedMaxS: 30 });
  const withAge = (ms: number | null) =>
    healthySnapshot({ positions: [{ symbol: "BTCUSDT", side: "long", unprotectedForMs: ms, dualPosition: false }] });

  it("does not fire for a protected position or at exactly the threshold", () => {
    expect(unprotectedPositionRule(withAge(null), cfg)).toBeNull();
    expect(unprotectedPositionRule(withAge(30_000), cfg)).toBeNull();
  });

  it("fires above the threshold, naming the position, its age and the threshold", () => {
    expect(unprotectedPositionRule(withAge(45_060), cfg)).toEqual({
      rule: "unprotected_position",
      reason: "watchdog: unprotected_position: no exchange-side stop: BTCUSDT long for 45.1 s > 30 s",
    });
  });

  it("lists every position over the threshold, the longest first, and ignores the others", () => {
    const s = healthySnapshot({
      positions: [
        { symbol: "ETHUSDT", side: "short", unprotectedForMs: 31_000, dualPosition: false },
        { symbol: "SOLUSDT", side: "long", unprotectedForMs: 5_000, dualPosition: false },
        { symbol: "BTCUSDT", side: "long", unprotectedForMs: 90_000, dualPosition: false },
      ],
    });
    expect(unprotectedPositionRule(s, cfg)?.reason).toBe(
      "watchdog: unprotected_position: no exchange-side stop: BTCUSDT long for 90.0 s, ETHUSDT short for 31.0 s > 30 s",
    );
  });

  it.each(NOT_LIVE)("does nothing in %s", (state) => {
    expect(evaluateWatchdog({ ...withAge(600_000), state }, cfg)).toEqual([]);
  });
});
