// First start: when there are no users at all, create one admin so somebody can sign in.
import type { Db } from "../../db/client";
import { generatePassword, hashPassword, passwordProblem } from "./password";
import { AppError } from "../../errors";
import { recordUserAudit, SYSTEM_ACTOR } from "./user-audit";
import { EmailSchema, USERS_LOCK_KEY } from "./user-summary";

export type EnsureAdminResult =
  | { created: false }
  | { created: true; email: string; /** only when generated: print it once */ generatedPassword: string | null };

/**
 * Safe when several processes start at once: the check and the insert run under one
 * transaction-scoped advisory lock, so exactly one of them sees "no users" and creates the admin.
 * A generated password must be changed at the first sign-in (the session can do nothing else).
 */
export async function ensureAdminUser(db: Db, opts: { email: string; password?: string | undefined }): Promise<EnsureAdminResult> {
  const email = EmailSchema.safeParse(opts.email);
  if (!email.success) throw new AppError("BAD_REQUEST", `ADMIN_EMAIL=${JSON.stringify(opts.email)} is not an email address (want name@host).`);
  if (opts.password !== undefined) {
    const problem = passwordProblem(opts.password);
    if (problem) throw new AppError("BAD_REQUEST", `ADMIN_PASSWORD is not acceptable: ${problem}. Set a longer one or unset it to have one generated.`);
  }
  // Cheap check without the lock first: on every start after the first, this is all we do.
  if ((await db.user.count()) > 0) return { created: false };
  const generated = opts.password === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(opts.password ?? generated ?? "");
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${USERS_LOCK_KEY})`);
    if ((await tx.user.count()) > 0) return { created: false } as const;
    const user = await tx.user.create({
      data: { email: email.data, role: "admin", passwordHash, name: "Administrator", mustChangePassword: generated !== null },
      select: { id: true },
    });
    await recordUserAudit(tx, SYSTEM_ACTOR, { action: "first_admin", targetUserId: user.id, targetEmail: email.data, detail: { generated: generated !== null } });
    return { created: true, email: email.data, generatedPassword: generated } as const;
  });
}
