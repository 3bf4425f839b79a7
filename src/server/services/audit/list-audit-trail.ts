// The toggle audit trail for the dashboard: who, when, source, from, to, kind, reason; newest first.
import { z } from "zod";
import type { Db } from "../../db/client";
import { listAudit } from "../toggles/list-audit";

export const AuditFilterInput = z.object({
  source: z.enum(["dashboard", "api", "cli", "env", "watchdog"]).optional(),
  kind: z.enum(["escalation", "rollback", "neutral"]).optional(),
  actor: z.string().trim().max(200).optional(),
  since: z.date().optional(),
  until: z.date().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

const Toggles = z.record(z.string(), z.string());
export const AuditEntrySchema = z.object({
  id: z.number(),
  at: z.date(),
  actor: z.string(),
  /** what a CLI caller claimed with --actor (the actor is the OS user) */
  claimedActor: z.string().nullable(),
  source: z.string(),
  kind: z.string(),
  reason: z.string().nullable(),
  versionBefore: z.number().nullable(),
  versionAfter: z.number(),
  togglesBefore: Toggles.nullable(),
  togglesAfter: Toggles,
  stateBefore: z.string().nullable(),
  stateAfter: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export async function listAuditTrail(db: Db, f: z.input<typeof AuditFilterInput>): Promise<AuditEntry[]> {
  const rows = await listAudit(db, { ...f, actor: f.actor || undefined, limit: f.limit ?? 100 });
  return rows.map((r) => ({ ...r, togglesBefore: toggles(r.togglesBefore), togglesAfter: toggles(r.togglesAfter) ?? {} }));
}

/** The JSON columns hold {KEY: VALUE}; anything else is shown as nothing rather than failing the page. */
function toggles(v: unknown): Record<string, string> | null {
  const parsed = Toggles.safeParse(v);
  return parsed.success ? parsed.data : null;
}
