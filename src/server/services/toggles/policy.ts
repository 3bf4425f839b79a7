// The go-LIVE rules of this deployment (migration 0009): stored in the database, not in each
// caller's environment, so the dashboard, API, CLI, watchdog and boot all apply the same rules.
// REQUIRE_LIVE_APPROVAL / REQUIRE_READINESS in an environment can only TIGHTEN them (like the
// toggle ceilings can only lower toggles): a shell without them cannot loosen anything.
// Only the database owner changes the policy (toggle_policy_set; the runtime role may only read
// it), and every change is a row in toggle_policy_audit.
import { z } from "zod";
import { reasonString } from "../../../core/toggles/reason";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
type Reader = Pick<Db, "$queryRaw"> | Pick<Tx, "$queryRaw">;

export interface StoredPolicy {
  requireLiveApproval: boolean;
  requireReadiness: boolean;
  /** an admin's one-shot readiness override, while it lasts */
  readinessOverrideUntil: Date | null;
  readinessOverrideBy: string | null;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

/** What a change is held to: the stored policy, tightened by the caller's environment. */
export interface EffectivePolicy {
  requireLiveApproval: boolean;
  requireReadiness: boolean;
  readinessOverrideActive: boolean;
}

/** Used only when the row is missing (a database migrated by a build before 0009 cannot run this code). */
export const DEFAULT_POLICY: EffectivePolicy = { requireLiveApproval: false, requireReadiness: true, readinessOverrideActive: false };

interface PolicyRow {
  require_live_approval: boolean;
  require_readiness: boolean;
  readiness_override_until: Date | null;
  readiness_override_by: string | null;
  override_active: boolean;
  version: bigint;
  updated_at: Date;
  updated_by: string;
}

export async function readPolicy(db: Reader): Promise<(StoredPolicy & { readinessOverrideActive: boolean }) | null> {
  const rows = await (db as Pick<Db, "$queryRaw">).$queryRaw<PolicyRow[]>`
    SELECT require_live_approval, require_readiness, readiness_override_until, readiness_override_by,
           coalesce(readiness_override_until > now(), false) AS override_active, version, updated_at, updated_by
      FROM toggle_policy WHERE id = 1`;
  const r = rows[0];
  if (!r) return null;
  return {
    requireLiveApproval: r.require_live_approval,
    requireReadiness: r.require_readiness,
    readinessOverrideUntil: r.override_active ? r.readiness_override_until : null,
    readinessOverrideBy: r.override_active ? r.readiness_override_by : null,
    readinessOverrideActive: r.override_active,
    version: Number(r.version),
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

export function effectivePolicy(
  stored: { requireLiveApproval: boolean; requireReadiness: boolean; readinessOverrideActive: boolean } | null,
  tighten: { requireApproval?: boolean; requireReadiness?: boolean } = {},
): EffectivePolicy {
  const base = stored ?? DEFAULT_POLICY;
  return {
    requireLiveApproval: base.requireLiveApproval || Boolean(tighten.requireApproval),
    requireReadiness: base.requireReadiness || Boolean(tighten.requireReadiness),
    readinessOverrideActive: base.readinessOverrideActive,
  };
}

export const SetPolicyInput = z
  .object({
    requireLiveApproval: z.boolean().optional(),
    requireReadiness: z.boolean().optional(),
    /** grant a one-shot readiness override for this many minutes */
    readinessOverrideMinutes: z.number().int().min(1).max(1440).optional(),
    // The one reason limit of every door (src/core/toggles/reason.ts), with its message.
    reason: reasonString().min(1, { error: "say why the policy changes, for the audit trail" }),
  })
  .refine((v) => v.requireLiveApproval !== undefined || v.requireReadiness !== undefined || v.readinessOverrideMinutes !== undefined, {
    error: "name at least one thing to change: requireLiveApproval, requireReadiness or readinessOverrideMinutes",
  });
export type SetPolicyInput = z.infer<typeof SetPolicyInput>;

/**
 * Changes the policy. `ownerDb` must connect as the database OWNER: the runtime role may not
 * (the database refuses it), which is what makes this an admin-only action.
 */
export async function setPolicy(ownerDb: Pick<Db, "$queryRaw">, input: SetPolicyInput, who: { actor: string; claimedActor?: string | null }): Promise<StoredPolicy> {
  // Refused as a BAD_REQUEST with the schema's own messages (e.g. the reason limit's), the way
  // the other toggle services refuse; a ZodError's text would be a JSON dump of its issues.
  const parsed = SetPolicyInput.safeParse(input);
  if (!parsed.success) throw new AppError("BAD_REQUEST", parsed.error.issues.map((i) => i.message).join("; "));
  const v = parsed.data;
  await ownerDb.$queryRaw`SELECT 1 FROM toggle_policy_set(${v.requireLiveApproval ?? null}::boolean, ${v.requireReadiness ?? null}::boolean,
    ${v.readinessOverrideMinutes ?? null}::int, ${who.actor}, ${who.claimedActor ?? null}, ${v.reason})`;
  const p = await readPolicy(ownerDb);
  if (!p) throw new Error("toggle_policy row missing after toggle_policy_set");
  return p;
}

export interface PolicyAuditRow {
  id: number;
  at: Date;
  actor: string;
  claimedActor: string | null;
  action: string;
  reason: string;
  policyBefore: unknown;
  policyAfter: unknown;
}

export async function listPolicyAudit(db: Reader, limit = 20): Promise<PolicyAuditRow[]> {
  const rows = await (db as Pick<Db, "$queryRaw">).$queryRaw<
    { id: bigint; at: Date; actor: string; claimed_actor: string | null; action: string; reason: string; policy_before: unknown; policy_after: unknown }[]
  >`SELECT id, at, actor, claimed_actor, action, reason, policy_before, policy_after FROM toggle_policy_audit ORDER BY at DESC, id DESC LIMIT ${limit}`;
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    claimedActor: r.claimed_actor,
    action: r.action,
    reason: r.reason,
    policyBefore: r.policy_before,
    policyAfter: r.policy_after,
  }));
}
