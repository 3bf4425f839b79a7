import { describe, expect, it } from "vitest";
import { checkRateLimit, combineDecisions, tooManyAttemptsMessage, type RateLimitRule } from "./login-rate-limit";

const rule: RateLimitRule = { max: 3, windowMs: 60_000 };
const now = new Date("2025-01-01T12:00:00.000Z");
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe("checkRateLimit", () => {
  it("allows below the limit", () => {
    expect(checkRateLimit([], rule, now)).toEqual({ allowed: true });
    expect(checkRateLimit([ago(5), ago(10)], rule, now)).toEqual({ allowed: true });
  });

  it("blocks at the limit until the oldest counted failure leaves the window", () => {
    // Oldest of the three is 50 s old: it leaves the 60 s window in 10 s.
    expect(checkRateLimit([ago(1), ago(50), ago(20)], rule, now)).toEqual({ allowed: false, retryAfterS: 10 });
  });

  it("ignores failures outside the window", () => {
    expect(checkRateLimit([ago(61), ago(120), ago(5), ago(6)], rule, now)).toEqual({ allowed: true });
  });

  it("with more failures than the limit, waits until only max-1 remain", () => {
    // 5 failures, max 3: the 3rd-newest (30 s old) must age out -> 30 s.
    const d = checkRateLimit([ago(1), ago(2), ago(30), ago(40), ago(50)], rule, now);
    expect(d).toEqual({ allowed: false, retryAfterS: 30 });
  });

  it("never says 'try again in 0 s'", () => {
    const d = checkRateLimit([ago(59.9), ago(59.95), ago(59.99)], rule, now);
    expect(d).toEqual({ allowed: false, retryAfterS: 1 });
  });

  it("is allowed again exactly when the window has passed", () => {
    const fails = [ago(0), ago(0), ago(0)];
    const later = new Date(now.getTime() + 60_000);
    expect(checkRateLimit(fails, rule, later)).toEqual({ allowed: true });
  });

  it("combines per-email and per-IP decisions, keeping the longer wait", () => {
    const blocked10 = { allowed: false as const, retryAfterS: 10 };
    const blocked99 = { allowed: false as const, retryAfterS: 99 };
    expect(combineDecisions({ allowed: true }, { allowed: true })).toEqual({ allowed: true });
    expect(combineDecisions({ allowed: true }, blocked10)).toEqual(blocked10);
    expect(combineDecisions(blocked99, { allowed: true })).toEqual(blocked99);
    expect(combineDecisions(blocked10, blocked99)).toEqual(blocked99);
  });

  it("says how long to wait", () => {
    expect(tooManyAttemptsMessage(42)).toBe("Too many attempts, try again in 42 s.");
  });
});
