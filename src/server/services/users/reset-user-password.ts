import type { Db } from "../../db/client";
import { generatePassword, hashPassword, passwordProblem } from "./password";
import { AppError, parseInput } from "../../errors";
import { ResetUserPasswordInput } from "./reset-user-password.types";
import { recordUserAudit, SYSTEM_ACTOR, type UserActor } from "./user-audit";
import { userSummarySelect, type UserSummary } from "./user-summary";

export interface ResetUserPasswordResult {
  user: UserSummary;
  /** Set only when the password was generated here: show it once, it is not stored. */
  generatedPassword: string | null;
}

/**
 * An admin sets someone's password. Every session of that user ends at once; a generated
 * password must be changed at the next sign-in. Audited (never the password itself).
 */
export async function resetUserPassword(db: Db, raw: ResetUserPasswordInput, by: UserActor = SYSTEM_ACTOR): Promise<ResetUserPasswordResult> {
  const input = parseInput(ResetUserPasswordInput, raw);
  const generated = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? generated ?? "";
  const problem = passwordProblem(password);
  if (problem) throw new AppError("BAD_REQUEST", `Cannot set the password of ${input.email}: ${problem}.`);
  const passwordHash = await hashPassword(password);
  const user = await db.$transaction(async (tx) => {
    const updated = await tx.user.updateManyAndReturn({
      where: { email: input.email },
      data: { passwordHash, sessionVersion: { increment: 1 }, mustChangePassword: generated !== null },
      select: userSummarySelect,
    });
    const u = updated[0];
    if (!u) throw new AppError("NOT_FOUND", `No user with email ${input.email}; list users to see who exists.`);
    await recordUserAudit(tx, by, { action: "reset_password", targetUserId: u.id, targetEmail: u.email, detail: { generated: generated !== null } });
    // A new password also clears the sign-in delay from earlier failed attempts.
    await tx.loginFailure.deleteMany({ where: { email: input.email } });
    return u;
  });
  return { user, generatedPassword: generated };
}
