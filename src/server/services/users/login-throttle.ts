// Pure progressive-delay rule for failed sign-ins, per account and per client address. The
// failures live in PostgreSQL (login_failure) so every web process counts the same attempts;
// this file only decides.
//
// Unlike the lock it replaces (5 failures = 15 minutes for everybody, renewable by anyone
// forever), a delay spaces out *evaluated* attempts, and each address waits only after its own
// failures: after `free` failures of the key within the window, the next attempt from an address
// must wait base * 2^(n - free), at most `maxMs`, counted from that address's own latest failure.
// An attempt that arrives too early is refused without being evaluated or counted. So failures an
// attacker piles up elsewhere lengthen the delay but never start it for an operator's address:
// the right password gets in at once, or at most `maxMs` after the operator's own last typo.

export interface ThrottleRule {
  /** Failures within the window before any delay applies. */
  free: number;
  /** Delay after the first counted failure beyond `free`; doubles with each further one. */
  baseMs: number;
  /** The delay never exceeds this: the bound on how long the right password can be kept out. */
  maxMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

/** Per account: 3 free tries, then 1 s, 2 s, 4 s, … at most 30 s between evaluated attempts. */
export const ACCOUNT_RULE: ThrottleRule = { free: 3, baseMs: 1_000, maxMs: 30_000, windowMs: 15 * 60_000 };
/** Per client address (several people may share one): 10 free, then 1 s doubling to 60 s. */
export const ADDRESS_RULE: ThrottleRule = { free: 10, baseMs: 1_000, maxMs: 60_000, windowMs: 15 * 60_000 };

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterS: number };

/** The wait after the n-th failure in the window. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(30, failures - rule.free));
}

/**
 * `count`: failures of the key (account or address) within the window, from anywhere.
 * `lastHere`: the latest of them made from the address now trying (null: none, so no wait).
 */
export function checkThrottle(count: number, lastHere: Date | null, rule: ThrottleRule, now: Date): ThrottleDecision {
  const nowMs = now.getTime();
  if (!lastHere || lastHere.getTime() <= nowMs - rule.windowMs) return { allowed: true };
  const openAt = lastHere.getTime() + delayAfter(count, rule);
  if (openAt <= nowMs) return { allowed: true };
  return { allowed: false, retryAfterS: Math.max(1, Math.ceil((openAt - nowMs) / 1000)) };
}

/** The later of two decisions: refused if either is, for the longer wait. */
export function combineDecisions(a: ThrottleDecision, b: ThrottleDecision): ThrottleDecision {
  if (a.allowed) return b;
  if (b.allowed) return a;
  return { allowed: false, retryAfterS: Math.max(a.retryAfterS, b.retryAfterS) };
}

export function tooManyAttemptsMessage(retryAfterS: number): string {
  return `Too many attempts, try again in ${retryAfterS} s.`;
}
