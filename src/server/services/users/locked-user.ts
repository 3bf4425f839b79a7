// The start of every change to a user's role or enabled state, inside its transaction: the users
// lock (two admins cannot demote or disable each other at once, leaving no admin) and the user, or
// an error saying there is no such user. Then the last-admin rule, checked under that lock.
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Role } from "./roles";
import { USERS_LOCK_KEY } from "./user-summary";

type Tx = Pick<Db, "$executeRawUnsafe" | "user">;

export interface LockedUser {
  id: string;
  role: Role;
  disabled: boolean;
}

export async function lockUserByEmail(tx: Tx, email: string): Promise<LockedUser> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${USERS_LOCK_KEY})`);
  const user = await tx.user.findUnique({ where: { email }, select: { id: true, role: true, disabled: true } });
  if (!user) throw new AppError("NOT_FOUND", `No user with email ${email}; list users to see who exists.`);
  return user;
}

/** Refuses (PRECONDITION_FAILED, `refusal`) when no other enabled admin would remain. */
export async function requireAnotherAdmin(tx: Tx, refusal: string): Promise<void> {
  const admins = await tx.user.count({ where: { role: "admin", disabled: false } });
  if (admins <= 1) throw new AppError("PRECONDITION_FAILED", refusal);
}
