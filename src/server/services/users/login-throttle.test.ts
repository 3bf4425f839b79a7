import { describe, expect, it } from "vitest";
import { ACCOUNT_RULE, checkThrottle, combineDecisions, delayAfter, tooManyAttemptsMessage, type ThrottleRule } from "./login-throttle";

const rule: ThrottleRule = { free: 3, baseMs: 1_000, maxMs: 30_000, windowMs: 15 * 60_000 };
const now = new Date("2026-01-01T12:00:00.000Z");
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe("progressive sign-in delay", () => {
  it("no delay for the first failures, then 1 s doubling, never above the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000].map((n) => delayAfter(n, rule))).toEqual([0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("counts the wait from this address's own latest failure", () => {
    expect(checkThrottle(2, ago(0), rule, now)).toEqual({ allowed: true });
    expect(checkThrottle(3, ago(0.5), rule, now)).toEqual({ allowed: false, retryAfterS: 1 });
    expect(checkThrottle(3, ago(1), rule, now)).toEqual({ allowed: true });
    expect(checkThrottle(5, ago(1), rule, now)).toEqual({ allowed: false, retryAfterS: 3 });
  });

  it("[SECURITY] failures made elsewhere never hold up an address that has not failed itself", () => {
    expect(checkThrottle(10_000, null, ACCOUNT_RULE, now)).toEqual({ allowed: true });
  });

  it("[SECURITY] however many failures pile up, an address waits at most the cap after its own", () => {
    const d = checkThrottle(10_000, ago(0), ACCOUNT_RULE, now);
    expect(d).toEqual({ allowed: false, retryAfterS: ACCOUNT_RULE.maxMs / 1000 });
    expect(checkThrottle(10_000, ago(ACCOUNT_RULE.maxMs / 1000), ACCOUNT_RULE, now)).toEqual({ allowed: true });
  });

  it("forgets a failure outside the window", () => {
    expect(checkThrottle(50, ago(901), rule, now)).toEqual({ allowed: true });
  });

  it("combines decisions keeping the longer wait", () => {
    expect(combineDecisions({ allowed: true }, { allowed: true })).toEqual({ allowed: true });
    expect(combineDecisions({ allowed: false, retryAfterS: 3 }, { allowed: true })).toEqual({ allowed: false, retryAfterS: 3 });
    expect(combineDecisions({ allowed: false, retryAfterS: 3 }, { allowed: false, retryAfterS: 9 })).toEqual({ allowed: false, retryAfterS: 9 });
    expect(tooManyAttemptsMessage(4)).toBe("Too many attempts, try again in 4 s.");
  });
});
