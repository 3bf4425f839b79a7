import type { Db } from "../../db/client";
import { hashPassword, passwordProblem } from "./password";
import { AppError, parseInput } from "../../errors";
import { AddUserInput } from "./add-user.types";
import { recordUserAudit, SYSTEM_ACTOR, type UserActor } from "./user-audit";
import { userSummarySelect, type UserSummary } from "./user-summary";

/** Adds a user and its user_audit row in one transaction. */
export async function addUser(db: Db, raw: AddUserInput, by: UserActor = SYSTEM_ACTOR): Promise<UserSummary> {
  const input = parseInput(AddUserInput, raw);
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError("BAD_REQUEST", `Cannot add ${input.email}: ${problem}.`);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    // INSERT .. ON CONFLICT DO NOTHING: a duplicate is a clear CONFLICT, even under a race.
    const created = await tx.user.createManyAndReturn({
      data: [{ email: input.email, name: input.name || null, role: input.role, passwordHash }],
      skipDuplicates: true,
      select: userSummarySelect,
    });
    const user = created[0];
    if (!user) {
      throw new AppError("CONFLICT", `A user with email ${input.email} already exists; change their role or reset their password instead.`);
    }
    await recordUserAudit(tx, by, { action: "add", targetUserId: user.id, targetEmail: user.email, detail: { role: user.role } });
    return user;
  });
}
