// Checks a sign-in attempt: the progressive delay first (an attempt that comes too early learns
// nothing about the password and is not counted), then the password through the hashing gate,
// recording failures in PostgreSQL so every web process counts the same attempts.
//
// Bounded for the right password: each address waits only after its own failures (at most
// ACCOUNT_RULE.maxMs), so failures an attacker causes from elsewhere lengthen the delay but never
// start it for the operator's address. The addresses only count when the web server resolved
// them itself (client-ip.ts), never from a header a client could make up; without one
// ("unknown", a plain `next start`) the account's latest failure from anywhere starts the wait.
// An address the account signed in from before (login_known_address) is exempt from the
// per-address delay and queues first for the hashing gate.
import { z } from "zod";
import type { Db } from "../../db/client";
import { addressGuard, AddressGuard, UNKNOWN_ADDRESS } from "./address-guard";
import { HashGate, HashGateBusyError, passwordHashGate } from "./hash-gate";
import { verifyAgainstDummy, verifyPassword } from "./password";
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  checkThrottle,
  combineDecisions,
  delayAfter,
  tooManyAttemptsMessage,
  type ThrottleRule,
} from "./login-throttle";
import { AppError } from "../../errors";
import type { SessionUser } from "./load-session-user";

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(1024),
  ip: z.string().max(100),
});
export type LoginInput = z.input<typeof LoginInput>;

export type LoginResult =
  | { ok: true; user: SessionUser & { sessionVersion: number } }
  | { ok: false; reason: "invalid" | "disabled" };

export interface LoginLimits {
  account: ThrottleRule;
  address: ThrottleRule;
}

/** Known addresses are remembered this long after their last successful sign-in. */
const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;

export interface VerifyLoginOptions {
  now?: Date;
  limits?: LoginLimits;
  gate?: HashGate;
  /** The process-local early refusal per address (address-guard.ts). */
  guard?: AddressGuard;
}

export async function verifyLogin(db: Db, raw: LoginInput, opts: VerifyLoginOptions = {}): Promise<LoginResult> {
  const parsed = LoginInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, ip } = parsed.data;
  const now = opts.now ?? new Date();
  if (ip === UNKNOWN_ADDRESS) return verifyAttempt(db, parsed.data, now, opts);
  // Before any query: an address told to wait, or with too many attempts in progress, is refused
  // from memory, so a flood from one address does not take the connections operators need.
  const guard = opts.guard ?? addressGuard;
  const entry = guard.enter(ip, email, now.getTime());
  if (!entry.ok) {
    if (entry.reason === "busy") throw new HashGateBusyError();
    throw new AppError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(entry.retryAfterS), { retryAfterS: entry.retryAfterS });
  }
  try {
    return await verifyAttempt(db, parsed.data, now, { ...opts, guard });
  } finally {
    entry.release();
  }
}

async function verifyAttempt(
  db: Db,
  input: z.output<typeof LoginInput>,
  now: Date,
  opts: VerifyLoginOptions,
): Promise<LoginResult> {
  const { email, password, ip } = input;
  const limits = opts.limits ?? { account: ACCOUNT_RULE, address: ADDRESS_RULE };
  const addressKnown = ip !== UNKNOWN_ADDRESS;

  const window = (rule: ThrottleRule) => ({ gt: new Date(now.getTime() - rule.windowMs), lte: now });
  const [known, accountCount, accountLastHere, addressCount, addressLast] = await Promise.all([
    addressKnown
      ? db.loginKnownAddress.findFirst({ where: { email, ip, lastSuccessAt: { gt: new Date(now.getTime() - KNOWN_ADDRESS_MS) } }, select: { ip: true } })
      : null,
    db.loginFailure.count({ where: { email, failedAt: window(limits.account) } }),
    latestFailure(db, addressKnown ? { email, ip } : { email }, limits.account, now),
    addressKnown ? db.loginFailure.count({ where: { ip, failedAt: window(limits.address) } }) : 0,
    addressKnown ? latestFailure(db, { ip }, limits.address, now) : null,
  ]);
  const decision = combineDecisions(
    checkThrottle(accountCount, accountLastHere, limits.account, now),
    // An address this account signed in from before is not held up by failures of other accounts there.
    known ? { allowed: true } : checkThrottle(addressCount, addressLast, limits.address, now),
  );
  if (!decision.allowed) {
    const addressWait = known ? null : checkThrottle(addressCount, addressLast, limits.address, now);
    if (addressWait && !addressWait.allowed) opts.guard?.delay(ip, now.getTime() + addressWait.retryAfterS * 1000);
    throw new AppError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(decision.retryAfterS), { retryAfterS: decision.retryAfterS });
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, disabled: true, passwordHash: true, sessionVersion: true, mustChangePassword: true },
  });
  const gate = opts.gate ?? passwordHashGate();
  const matches = await gate.run(() => (user ? verifyPassword(password, user.passwordHash) : verifyAgainstDummy(password)), known ? "known" : "other");
  if (!user || !matches) {
    await recordFailure(db, email, ip, now, Math.max(limits.account.windowMs, limits.address.windowMs));
    // The address's next attempt may come only after the delay its failures now call for.
    const wait = addressKnown && !known ? delayAfter(addressCount + 1, limits.address) : 0;
    if (wait > 0) opts.guard?.delay(ip, now.getTime() + wait);
    return { ok: false, reason: "invalid" };
  }
  if (user.disabled) return { ok: false, reason: "disabled" };
  if (addressKnown) opts.guard?.known(ip, email);
  await Promise.all([
    db.loginFailure.deleteMany({ where: { email } }),
    addressKnown
      ? db.loginKnownAddress.upsert({ where: { email_ip: { email, ip } }, create: { email, ip, lastSuccessAt: now }, update: { lastSuccessAt: now } })
      : null,
  ]);
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, mustChangePassword: user.mustChangePassword, sessionVersion: user.sessionVersion },
  };
}

async function latestFailure(db: Db, key: { email: string; ip?: string } | { ip: string }, rule: ThrottleRule, now: Date): Promise<Date | null> {
  const row = await db.loginFailure.findFirst({
    where: { ...key, failedAt: { gt: new Date(now.getTime() - rule.windowMs), lte: now } },
    orderBy: { failedAt: "desc" },
    select: { failedAt: true },
  });
  return row?.failedAt ?? null;
}

async function recordFailure(db: Db, email: string, ip: string, now: Date, keepMs: number): Promise<void> {
  await db.loginFailure.create({ data: { email, ip, failedAt: now } });
  // Prune rows no rule can still count, so the table stays small without a cron job.
  await db.loginFailure.deleteMany({ where: { failedAt: { lt: new Date(now.getTime() - keepMs) } } });
}
