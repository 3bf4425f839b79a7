// Checks a sign-in attempt: rate limit first (a blocked caller learns nothing about the
// password), then the password, recording failures in PostgreSQL so every web process counts
// the same attempts.
import { z } from "zod";
import type { Db } from "../db/client";
import { verifyAgainstDummy, verifyPassword } from "../auth/password";
import {
  checkRateLimit,
  combineDecisions,
  EMAIL_RULE,
  IP_RULE,
  tooManyAttemptsMessage,
  type RateLimitRule,
} from "../auth/login-rate-limit";
import { AppError } from "../errors";
import type { SessionUser } from "./load-session-user";

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(1024),
  ip: z.string().max(100),
});
export type LoginInput = z.input<typeof LoginInput>;

export type LoginResult = { ok: true; user: SessionUser } | { ok: false; reason: "invalid" | "disabled" };

export interface LoginLimits {
  email: RateLimitRule;
  ip: RateLimitRule;
}

export async function verifyLogin(
  db: Db,
  raw: LoginInput,
  opts: { now?: Date; limits?: LoginLimits } = {},
): Promise<LoginResult> {
  const parsed = LoginInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password, ip } = parsed.data;
  const now = opts.now ?? new Date();
  const limits = opts.limits ?? { email: EMAIL_RULE, ip: IP_RULE };

  const [byEmail, byIp] = await Promise.all([
    recentFailures(db, { email }, limits.email, now),
    recentFailures(db, { ip }, limits.ip, now),
  ]);
  const decision = combineDecisions(checkRateLimit(byEmail, limits.email, now), checkRateLimit(byIp, limits.ip, now));
  if (!decision.allowed) {
    throw new AppError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(decision.retryAfterS), { retryAfterS: decision.retryAfterS });
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, disabled: true, passwordHash: true },
  });
  const matches = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !matches) {
    await recordFailure(db, email, ip, now, Math.max(limits.email.windowMs, limits.ip.windowMs));
    return { ok: false, reason: "invalid" };
  }
  if (user.disabled) return { ok: false, reason: "disabled" };
  await db.loginFailure.deleteMany({ where: { email } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

async function recentFailures(db: Db, key: { email: string } | { ip: string }, rule: RateLimitRule, now: Date): Promise<Date[]> {
  // Only the newest `max` matter for the decision.
  const rows = await db.loginFailure.findMany({
    where: { ...key, failedAt: { gt: new Date(now.getTime() - rule.windowMs), lte: now } },
    orderBy: { failedAt: "desc" },
    take: rule.max,
    select: { failedAt: true },
  });
  return rows.map((r) => r.failedAt);
}

async function recordFailure(db: Db, email: string, ip: string, now: Date, keepMs: number): Promise<void> {
  await db.loginFailure.create({ data: { email, ip, failedAt: now } });
  // Prune rows no rule can still count, so the table stays small without a cron job.
  await db.loginFailure.deleteMany({ where: { failedAt: { lt: new Date(now.getTime() - keepMs) } } });
}
