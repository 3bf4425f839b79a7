import type { Db } from "../db/client";
import { AppError, parseInput } from "../errors";
import { SetUserRoleInput } from "./set-user-role.types";
import { USERS_LOCK_KEY, userSummarySelect, type UserSummary } from "./user-summary";

/** Changes a role; refuses to demote the last enabled admin (nobody could manage users after). */
export async function setUserRole(db: Db, raw: SetUserRoleInput): Promise<UserSummary> {
  const input = parseInput(SetUserRoleInput, raw);
  return db.$transaction(async (tx) => {
    // Serialise with other role changes so two admins cannot demote each other at once.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${USERS_LOCK_KEY})`);
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { role: true, disabled: true } });
    if (!user) throw new AppError("NOT_FOUND", `No user with email ${input.email}; list users to see who exists.`);
    if (user.role === "admin" && input.role !== "admin" && !user.disabled) {
      const admins = await tx.user.count({ where: { role: "admin", disabled: false } });
      if (admins <= 1) {
        throw new AppError("PRECONDITION_FAILED", `${input.email} is the only admin; make another user admin first.`);
      }
    }
    return tx.user.update({ where: { email: input.email }, data: { role: input.role }, select: userSummarySelect });
  });
}
