// The append-only record of user management (user_audit; the database refuses UPDATE, DELETE and
// TRUNCATE). Every service that changes a user writes its row in the same transaction as the
// change, so a change without its row cannot commit.
import { z } from "zod";
import type { Prisma } from "../../../generated/prisma/client";
import type { Db } from "../../db/client";
import { parseInput } from "../../errors";

export const USER_AUDIT_ACTIONS = [
  "add",
  "set_role",
  "reset_password",
  "change_password",
  "disable",
  "enable",
  "revoke_sessions",
  "first_admin",
] as const;
export type UserAuditAction = (typeof USER_AUDIT_ACTIONS)[number];

/** Who acts: a signed-in user's email from the web, `cli:<os user>` from the CLI, or the system. */
export interface UserActor {
  actor: string;
  source: "web" | "cli" | "system";
}

export const SYSTEM_ACTOR: UserActor = { actor: "system", source: "system" };

type Tx = Pick<Db, "userAudit">;

export async function recordUserAudit(
  tx: Tx,
  by: UserActor,
  entry: { action: UserAuditAction; targetUserId: string | null; targetEmail: string; detail?: Record<string, string | number | boolean | null> },
): Promise<void> {
  await tx.userAudit.create({
    data: {
      actor: by.actor.slice(0, 320) || "unknown",
      source: by.source,
      action: entry.action,
      targetUserId: entry.targetUserId,
      targetEmail: entry.targetEmail,
      detail: (entry.detail ?? {}) as Prisma.InputJsonObject,
    },
  });
}

export const UserAuditEntrySchema = z.object({
  id: z.string(),
  at: z.date(),
  actor: z.string(),
  source: z.string(),
  action: z.string(),
  targetEmail: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type UserAuditEntry = z.infer<typeof UserAuditEntrySchema>;

export const ListUserAuditInput = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  /** Only rows about this user (email). */
  email: z.string().trim().toLowerCase().max(254).optional(),
});
export type ListUserAuditInput = z.input<typeof ListUserAuditInput>;

/** Newest first. */
export async function listUserAudit(db: Db, raw: ListUserAuditInput = {}): Promise<UserAuditEntry[]> {
  const input = parseInput(ListUserAuditInput, raw);
  const rows = await db.userAudit.findMany({
    where: input.email ? { targetEmail: input.email } : {},
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: input.limit,
  });
  return rows.map((r) => {
    const detail = UserAuditEntrySchema.shape.detail.safeParse(r.detail);
    return {
      id: r.id.toString(),
      at: r.at,
      actor: r.actor,
      source: r.source,
      action: r.action,
      targetEmail: r.targetEmail,
      detail: detail.success ? detail.data : {},
    };
  });
}
