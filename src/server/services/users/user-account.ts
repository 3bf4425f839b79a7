// Disable / enable an account, end its sessions ("sign out everywhere"), and a user changing
// their own password. Each ends the affected sessions at once by bumping app_user.session_version
// (every request compares it with the version in the session cookie) and writes one user_audit
// row in the same transaction.
import { z } from "zod";
import type { Db } from "../../db/client";
import { passwordHashGate } from "./hash-gate";
import { hashPassword, passwordProblem, verifyPassword } from "./password";
import { AppError, parseInput } from "../../errors";
import { lockUserByEmail, requireAnotherAdmin } from "./locked-user";
import { recordUserAudit, SYSTEM_ACTOR, type UserActor } from "./user-audit";
import { EmailSchema, userSummarySelect, type UserSummary } from "./user-summary";

export const SetUserDisabledInput = z.object({ email: EmailSchema, disabled: z.boolean() });
export type SetUserDisabledInput = z.input<typeof SetUserDisabledInput>;

export async function setUserDisabled(db: Db, raw: SetUserDisabledInput, by: UserActor = SYSTEM_ACTOR): Promise<UserSummary> {
  const input = parseInput(SetUserDisabledInput, raw);
  return db.$transaction(async (tx) => {
    const user = await lockUserByEmail(tx, input.email);
    if (user.disabled === input.disabled) return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: userSummarySelect });
    if (input.disabled && user.role === "admin") await requireAnotherAdmin(tx, `${input.email} is the only enabled admin; make another user admin first.`);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { disabled: input.disabled, sessionVersion: { increment: 1 } },
      select: userSummarySelect,
    });
    await recordUserAudit(tx, by, { action: input.disabled ? "disable" : "enable", targetUserId: user.id, targetEmail: input.email });
    return updated;
  });
}

export const RevokeSessionsInput = z.object({ email: EmailSchema });
export type RevokeSessionsInput = z.input<typeof RevokeSessionsInput>;

/** Signs a user out everywhere: every session cookie issued so far stops working. */
export async function revokeUserSessions(db: Db, raw: RevokeSessionsInput, by: UserActor = SYSTEM_ACTOR): Promise<UserSummary> {
  const input = parseInput(RevokeSessionsInput, raw);
  return db.$transaction(async (tx) => {
    const updated = await tx.user.updateManyAndReturn({
      where: { email: input.email },
      data: { sessionVersion: { increment: 1 } },
      select: userSummarySelect,
    });
    const user = updated[0];
    if (!user) throw new AppError("NOT_FOUND", `No user with email ${input.email}; list users to see who exists.`);
    await recordUserAudit(tx, by, { action: "revoke_sessions", targetUserId: user.id, targetEmail: user.email });
    return user;
  });
}

export const ChangeOwnPasswordInput = z.object({
  currentPassword: z.string().min(1, { error: "enter your current password" }).max(1024),
  newPassword: z.string().max(1024),
});
export type ChangeOwnPasswordInput = z.input<typeof ChangeOwnPasswordInput>;

/**
 * A signed-in user sets a new password, proving the current one. Ends every session of theirs,
 * this one included (the dashboard signs in again), and lifts "must change password".
 */
export async function changeOwnPassword(db: Db, userId: string, raw: ChangeOwnPasswordInput, by: UserActor): Promise<UserSummary> {
  const input = parseInput(ChangeOwnPasswordInput, raw);
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new AppError("BAD_REQUEST", `The new ${problem}.`);
  if (input.newPassword === input.currentPassword) throw new AppError("BAD_REQUEST", "The new password must differ from the current one.");
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, email: true } });
  if (!user) throw new AppError("UNAUTHORIZED", "Your account no longer exists; sign in again.");
  const gate = passwordHashGate();
  const matches = await gate.run(() => verifyPassword(input.currentPassword, user.passwordHash), "known");
  if (!matches) throw new AppError("BAD_REQUEST", "The current password is wrong; nothing was changed.");
  const passwordHash = await gate.run(() => hashPassword(input.newPassword), "known");
  return db.$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: userId },
      data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } },
      select: userSummarySelect,
    });
    await recordUserAudit(tx, by, { action: "change_password", targetUserId: userId, targetEmail: updated.email });
    return updated;
  });
}
