import type { Db } from "../../db/client";
import { AppError, parseInput } from "../../errors";
import { SetUserRoleInput } from "./set-user-role.types";
import { recordUserAudit, SYSTEM_ACTOR, type UserActor } from "./user-audit";
import { USERS_LOCK_KEY, userSummarySelect, type UserSummary } from "./user-summary";

/**
 * Changes a role; refuses to demote the last enabled admin (nobody could manage users after).
 * A real change ends the user's sessions (they sign in again under the new role) and is audited.
 */
export async function setUserRole(db: Db, raw: SetUserRoleInput, by: UserActor = SYSTEM_ACTOR): Promise<UserSummary> {
  const input = parseInput(SetUserRoleInput, raw);
  return db.$transaction(async (tx) => {
    // Serialise with other role changes so two admins cannot demote each other at once.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${USERS_LOCK_KEY})`);
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, role: true, disabled: true } });
    if (!user) throw new AppError("NOT_FOUND", `No user with email ${input.email}; list users to see who exists.`);
    if (user.role === input.role) return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: userSummarySelect });
    if (user.role === "admin" && !user.disabled) {
      const admins = await tx.user.count({ where: { role: "admin", disabled: false } });
      if (admins <= 1) {
        throw new AppError("PRECONDITION_FAILED", `${input.email} is the only admin; make another user admin first.`);
      }
    }
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { role: input.role, sessionVersion: { increment: 1 } },
      select: userSummarySelect,
    });
    await recordUserAudit(tx, by, { action: "set_role", targetUserId: user.id, targetEmail: input.email, detail: { from: user.role, to: input.role } });
    return updated;
  });
}
