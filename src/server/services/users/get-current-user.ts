import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { userSummarySelect, type UserSummary } from "./user-summary";

export async function getCurrentUser(db: Db, userId: string): Promise<UserSummary> {
  const user = await db.user.findUnique({ where: { id: userId }, select: userSummarySelect });
  if (!user) throw new AppError("NOT_FOUND", "Your account no longer exists; sign in again.");
  return user;
}
