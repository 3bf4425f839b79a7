// Pure rate-limit rule for failed sign-ins: at most `max` failures per key (email or IP) in a
// sliding window. The failures themselves live in PostgreSQL (login_failure) so every web
// process counts the same attempts; this file only decides.

export interface RateLimitRule {
  max: number;
  windowMs: number;
}

/** 5 wrong passwords per account per 15 minutes. */
export const EMAIL_RULE: RateLimitRule = { max: 5, windowMs: 15 * 60_000 };
/** 20 failures per client address per 15 minutes (one address trying many accounts). */
export const IP_RULE: RateLimitRule = { max: 20, windowMs: 15 * 60_000 };

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * `failures`: times of failed attempts for one key, in any order (older ones are ignored).
 * Blocked while `max` or more fall inside the window; allowed again once enough of them age out.
 */
export function checkRateLimit(failures: readonly Date[], rule: RateLimitRule, now: Date): RateLimitDecision {
  const since = now.getTime() - rule.windowMs;
  const recent = failures
    .map((d) => d.getTime())
    .filter((t) => t > since && t <= now.getTime())
    .sort((a, b) => a - b);
  if (recent.length < rule.max) return { allowed: true };
  // Allowed again when only max-1 remain: the (len-max)-th oldest must leave the window.
  const unblockAt = (recent[recent.length - rule.max] ?? now.getTime()) + rule.windowMs;
  return { allowed: false, retryAfterS: Math.max(1, Math.ceil((unblockAt - now.getTime()) / 1000)) };
}

/** The later of two decisions: blocked if either is, for the longer wait. */
export function combineDecisions(a: RateLimitDecision, b: RateLimitDecision): RateLimitDecision {
  if (a.allowed) return b;
  if (b.allowed) return a;
  return { allowed: false, retryAfterS: Math.max(a.retryAfterS, b.retryAfterS) };
}

export function tooManyAttemptsMessage(retryAfterS: number): string {
  return `Too many attempts, try again in ${retryAfterS} s.`;
}
