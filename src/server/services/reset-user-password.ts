import type { Db } from "../db/client";
import { generatePassword, hashPassword, passwordProblem } from "../auth/password";
import { AppError, parseInput } from "../errors";
import { ResetUserPasswordInput } from "./reset-user-password.types";
import { userSummarySelect, type UserSummary } from "./user-summary";

export interface ResetUserPasswordResult {
  user: UserSummary;
  /** Set only when the password was generated here: show it once, it is not stored. */
  generatedPassword: string | null;
}

export async function resetUserPassword(db: Db, raw: ResetUserPasswordInput): Promise<ResetUserPasswordResult> {
  const input = parseInput(ResetUserPasswordInput, raw);
  const generated = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? generated ?? "";
  const problem = passwordProblem(password);
  if (problem) throw new AppError("BAD_REQUEST", `Cannot set the password of ${input.email}: ${problem}.`);
  const passwordHash = await hashPassword(password);
  const updated = await db.user.updateManyAndReturn({
    where: { email: input.email },
    data: { passwordHash },
    select: userSummarySelect,
  });
  const user = updated[0];
  if (!user) throw new AppError("NOT_FOUND", `No user with email ${input.email}; list users to see who exists.`);
  // A new password also lifts any lock-out from earlier failed attempts.
  await db.loginFailure.deleteMany({ where: { email: input.email } });
  return { user, generatedPassword: generated };
}
