import type { Db } from "../../db/client";

export interface AuditFilter {
  limit?: number;
  source?: string;
  kind?: string;
  actor?: string;
  since?: Date;
  until?: Date;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  /** what a CLI caller said with --actor; null otherwise */
  claimedActor: string | null;
  source: string;
  kind: string;
  reason: string | null;
  versionBefore: number | null;
  versionAfter: number;
  togglesBefore: unknown;
  togglesAfter: unknown;
  stateBefore: string | null;
  stateAfter: string;
  /** for a change that made the state LIVE: the go-LIVE policy in force and how it was met */
  policy: unknown;
}

export async function listAudit(db: Db, f: AuditFilter = {}): Promise<AuditRow[]> {
  const rows = await db.toggleAudit.findMany({
    where: {
      ...(f.source ? { source: f.source } : {}),
      ...(f.kind ? { kind: f.kind } : {}),
      ...(f.actor ? { actor: { contains: f.actor } } : {}),
      ...(f.since || f.until ? { at: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lt: f.until } : {}) } } : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: Math.min(f.limit ?? 50, 10_000),
  });
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    versionBefore: r.versionBefore === null ? null : Number(r.versionBefore),
    versionAfter: Number(r.versionAfter),
  }));
}
