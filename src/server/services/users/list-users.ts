import type { Db } from "../../db/client";
import { userSummarySelect, type UserSummary } from "./user-summary";

export async function listUsers(db: Db): Promise<UserSummary[]> {
  return db.user.findMany({ select: userSummarySelect, orderBy: { email: "asc" } });
}
