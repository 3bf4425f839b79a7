import type { Db } from "../../db/client";
import { parseInput } from "../../errors";
import { lockUserByEmail, requireAnotherAdmin } from "./locked-user";
import { SetUserRoleInput } from "./set-user-role.types";
import { recordUserAudit, SYSTEM_ACTOR, type UserActor } from "./user-audit";
import { userSummarySelect, type UserSummary } from "./user-summary";

/**
 * Changes a role; refuses to demote the last enabled admin (nobody could manage users after).
 * A real change ends the user's sessions (they sign in again under the new role) and is audited.
 */
export async function setUserRole(db: Db, raw: SetUserRoleInput, by: UserActor = SYSTEM_ACTOR): Promise<UserSummary> {
  const input = parseInput(SetUserRoleInput, raw);
  return db.$transaction(async (tx) => {
    const user = await lockUserByEmail(tx, input.email);
    if (user.role === input.role) return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: userSummarySelect });
    if (user.role === "admin" && !user.disabled) await requireAnotherAdmin(tx, `${input.email} is the only admin; make another user admin first.`);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { role: input.role, sessionVersion: { increment: 1 } },
      select: userSummarySelect,
    });
    await recordUserAudit(tx, by, { action: "set_role", targetUserId: user.id, targetEmail: input.email, detail: { from: user.role, to: input.role } });
    return updated;
  });
}
