// Every toggle change goes through here: the ONE policy door (dashboard, API, CLI, watchdog,
// environment ceilings at boot). One transaction locks the row, checks the ceilings, the reason,
// and, for a change that makes the state LIVE, the confirmation and the go-LIVE policy stored in
// the database (approval, readiness; migration 0009 and ./policy.ts). The write itself is ONE
// call of exit_toggles_change(): the database function that updates the row and writes its audit
// row in the same statement (the runtime role cannot write either table directly). Then NOTIFY
// the new row (delivered on commit; see toggle-notify-payload.ts). Concurrent changes serialise
// on the row lock.
import {
  applyCeilings,
  classifyChange,
  operationalStateOf,
  rankOf,
  SAFEST_TOGGLES,
  TOGGLE_KEYS,
  type ChangeKind,
  type OperationalState,
  type ToggleCeilings,
  type ToggleSet,
} from "../../../core/toggles";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { evaluateReadiness } from "../../../core/readiness";
import { gatherReadinessInputs, type ReadinessOptions } from "../readiness/get-readiness";
import { effectivePolicy, readPolicy, type EffectivePolicy } from "./policy";
import { toggleNotifyPayload } from "./toggle-notify-payload";
import { fromRow, type StoredToggles, TOGGLE_CHANNEL, type ToggleRow, toggleRowSql } from "../../db/toggle-row";

export const TOGGLE_SOURCES = ["dashboard", "api", "cli", "env", "watchdog"] as const;
export type ToggleSource = (typeof TOGGLE_SOURCES)[number];

export interface ChangeRequest {
  changes: Partial<ToggleSet>;
  /** who really acted: a signed-in user's email, `os:<user>` for the CLI, `environment`, `watchdog` */
  actor: string;
  /** what the caller SAID it was (CLI --actor); recorded apart, never as the actor */
  claimedActor?: string | null;
  source: ToggleSource;
  reason?: string | null;
  /** this deployment's ceilings (environment) */
  ceilings: ToggleCeilings;
  /** an explicit, typed confirmation; required for any change that makes the state LIVE */
  confirmLive?: boolean;
  /**
   * The caller's environment (REQUIRE_LIVE_APPROVAL / REQUIRE_READINESS) can only tighten the
   * policy stored in the database, never loosen it.
   */
  requireApproval?: boolean;
  requireReadiness?: boolean;
  /** the approved LIVE request this change carries out (live-requests.ts); checked here */
  approvedRequestId?: number;
  /** the kill switch's own bounds (commit-rollback.ts): a change that cannot get the row or finish in time fails fast and is retried */
  limits?: ChangeLimits;
  readiness?: ReadinessOptions;
}

export interface ChangeResult {
  changed: boolean;
  kind: ChangeKind;
  before: StoredToggles;
  after: StoredToggles;
  stateBefore: OperationalState;
  stateAfter: OperationalState;
  auditId: number | null;
  /** unmet readiness items when the change made the state LIVE (allowed by policy or override) */
  readinessWarnings: string[];
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export async function changeToggles(db: Db, req: ChangeRequest): Promise<ChangeResult> {
  return db.$transaction(async (tx) => {
    if (req.limits) await applyLimits(tx, req.limits);
    const before = await lockOrSeed(tx, req.actor, req.source);
    const wanted: ToggleSet = { ...before.toggles, ...definedOnly(req.changes) };
    assertWithinCeilings(before.toggles, wanted, req.ceilings);

    const classified = classifyChange(before.toggles, wanted);
    const stateBefore = operationalStateOf(applyCeilings(before.toggles, req.ceilings).effective);
    const stateAfter = operationalStateOf(applyCeilings(wanted, req.ceilings).effective);
    if (classified.changed.length === 0) {
      return { changed: false, kind: "neutral", before, after: before, stateBefore, stateAfter, auditId: null, readinessWarnings: [] };
    }
    const reason = req.reason?.trim() || null;
    if (classified.kind !== "neutral" && !reason) {
      throw new AppError("BAD_REQUEST", `A reason is required for a${classified.kind === "escalation" ? "n escalation" : " rollback"} (${classified.changed.join(", ")}).`);
    }
    let gate: GoLiveGate | null = null;
    if (stateAfter === "EXIT_BRAIN_V3_LIVE" && stateBefore !== "EXIT_BRAIN_V3_LIVE") {
      if (!req.confirmLive) {
        throw new AppError("PRECONDITION_FAILED", "Going LIVE needs an explicit confirmation: type the confirmation in the dashboard, or pass --confirm-live to the CLI.");
      }
      gate = await goLiveGate(tx, req, before);
    }
    const after = await writeChange(tx, before, wanted, req, stateBefore, stateAfter, gate);
    await tx.$executeRaw`SELECT pg_notify(${TOGGLE_CHANNEL}, ${toggleNotifyPayload(after.stored)})`;
    return {
      changed: true,
      kind: after.kind,
      before,
      after: after.stored,
      stateBefore,
      stateAfter,
      auditId: after.auditId,
      readinessWarnings: gate?.unmet ?? [],
    };
  }, req.limits ? { timeout: req.limits.transactionMs, maxWait: req.limits.transactionMs } : undefined);
}

interface GoLiveGate {
  policy: EffectivePolicy;
  unmet: string[];
  useOverride: boolean;
}

/**
 * The go-LIVE policy, read from the database inside the change's transaction: approval (a
 * DIFFERENT operator approved a pending request, checked against live_request here) and
 * readiness (every before-LIVE item met, unless an admin granted a one-shot override, which the
 * database function consumes and audits).
 */
async function goLiveGate(tx: Tx, req: ChangeRequest, before: StoredToggles): Promise<GoLiveGate> {
  const policy = effectivePolicy(await readPolicy(tx), { requireApproval: req.requireApproval, requireReadiness: req.requireReadiness });
  if (policy.requireLiveApproval) {
    if (req.approvedRequestId === undefined) {
      throw new AppError("PRECONDITION_FAILED", "REQUIRE_LIVE_APPROVAL is on: request LIVE and have a different operator approve it within 15 minutes.");
    }
    const [r] = await tx.$queryRaw<{ status: string; requested_by: string; decided_by: string | null }[]>`
      SELECT status, requested_by, decided_by FROM live_request WHERE id = ${BigInt(req.approvedRequestId)}`;
    if (!r || r.status !== "approved" || r.decided_by?.toLowerCase() !== req.actor.toLowerCase() || r.requested_by.toLowerCase() === req.actor.toLowerCase()) {
      throw new AppError("PRECONDITION_FAILED", `REQUIRE_LIVE_APPROVAL is on and LIVE request #${req.approvedRequestId} is not approved by ${req.actor} for another operator's request.`);
    }
  }
  const readiness = evaluateReadiness(await gatherReadinessInputs(tx, { ...req.readiness, stored: before }));
  const unmet = readiness.items.filter((i) => i.group === "before_live" && !i.ok).map((i) => `${i.label}: ${i.why}`);
  let useOverride = false;
  if (policy.requireReadiness && unmet.length > 0) {
    if (!policy.readinessOverrideActive) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `REQUIRE_READINESS is on and ${unmet.length} readiness item(s) are not met, so going LIVE is refused: ${unmet.join(" | ")} (meet them, or have an admin grant a one-shot override: exit-brain policy override-readiness --reason "...").`,
      );
    }
    useOverride = true;
  }
  return { policy, unmet, useOverride };
}

function definedOnly(changes: Partial<ToggleSet>): Partial<ToggleSet> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<ToggleSet>;
}

function assertWithinCeilings(before: ToggleSet, wanted: ToggleSet, ceilings: ToggleCeilings): void {
  for (const key of TOGGLE_KEYS) {
    const ceiling = ceilings[key];
    if (ceiling === undefined || wanted[key] === before[key]) continue;
    if (rankOf(key, wanted[key]) > rankOf(key, ceiling)) {
      throw new AppError(
        "FORBIDDEN",
        `${key} cannot be raised to ${wanted[key]}: the environment variable ${key}=${ceiling} caps it on this deployment. Change or remove that variable and restart, then try again.`,
      );
    }
  }
}

async function lockOrSeed(tx: Tx, actor: string, source: ToggleSource): Promise<StoredToggles> {
  const row = await selectForUpdate(tx);
  if (row) return row;
  // A change before any boot seeded the row: start from the runbook's baseline, audited.
  await seedRow(tx, SAFEST_TOGGLES, actor, source, "initialised to the LEGACY baseline");
  const seeded = await selectForUpdate(tx);
  if (!seeded) throw new AppError("UNAVAILABLE", "The toggle row could not be created; check the database.");
  return seeded;
}

async function selectForUpdate(tx: Tx): Promise<StoredToggles | null> {
  const rows = await tx.$queryRaw<ToggleRow[]>`SELECT ${toggleRowSql("t")} FROM exit_toggles t WHERE t.id = 1 FOR UPDATE`;
  return rows[0] ? fromRow(rows[0]) : null;
}

const CHANGE_KINDS: readonly ChangeKind[] = ["escalation", "rollback", "neutral"];

interface ChangeRow {
  version: bigint;
  updated_at: Date;
  audit_id: bigint;
  kind: ChangeKind;
}

/** The one write: exit_toggles_change() updates the row and writes its audit row together. */
async function writeChange(
  tx: Tx,
  before: StoredToggles,
  wanted: ToggleSet,
  req: ChangeRequest,
  stateBefore: OperationalState,
  stateAfter: OperationalState,
  gate: GoLiveGate | null,
): Promise<{ stored: StoredToggles; auditId: number; kind: ChangeKind }> {
  const policy = gate
    ? JSON.stringify({
        requireLiveApproval: gate.policy.requireLiveApproval,
        requireReadiness: gate.policy.requireReadiness,
        readinessUnmet: gate.unmet,
        readinessOverrideUsed: gate.useOverride,
        approvedRequestId: req.approvedRequestId ?? null,
      })
    : null;
  const [row] = await tx.$queryRaw<ChangeRow[]>`
    SELECT version, updated_at, audit_id, kind FROM exit_toggles_change(
      ${BigInt(before.version)}::bigint, ${wanted.EXIT_MODE}, ${wanted.EXIT_EXECUTOR_MODE}, ${wanted.EXIT_BRAIN_V3_LIVE_ROLLOUT},
      ${req.actor}, ${req.claimedActor ?? null}, ${req.source}, ${req.reason?.trim() || null},
      ${stateBefore}, ${stateAfter}, ${policy}::jsonb, ${gate?.useOverride ?? false})`;
  if (!row) throw new AppError("UNAVAILABLE", "The toggle change was not recorded; check the database.");
  if (!CHANGE_KINDS.includes(row.kind)) throw new AppError("UNAVAILABLE", `exit_toggles_change returned an unknown kind of change "${String(row.kind)}": the database function and this build disagree; run the migrations.`);
  return {
    stored: { toggles: wanted, version: Number(row.version), updatedAt: row.updated_at, updatedBy: req.actor },
    auditId: Number(row.audit_id),
    kind: row.kind,
  };
}

/** Inserts the row if absent (first boot), with its audit row. Returns true when this call created it. */
export async function seedRow(tx: Tx, toggles: ToggleSet, actor: string, source: ToggleSource, reason: string): Promise<boolean> {
  const stateAfter = classifyChange(SAFEST_TOGGLES, toggles).stateAfter;
  const rows = await tx.$queryRaw<ChangeRow[]>`
    SELECT version, updated_at, audit_id, kind FROM exit_toggles_change(
      NULL::bigint, ${toggles.EXIT_MODE}, ${toggles.EXIT_EXECUTOR_MODE}, ${toggles.EXIT_BRAIN_V3_LIVE_ROLLOUT},
      ${actor}, NULL, ${source}, ${reason}, NULL, ${stateAfter}, NULL::jsonb, false)`;
  if (rows.length === 0) return false;
  await tx.$executeRaw`SELECT pg_notify(${TOGGLE_CHANNEL}, '1')`;
  return true;
}

/** Bounds for one change's transaction: waiting for the row lock, each statement, the whole. */
export interface ChangeLimits {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  transactionMs: number;
}

async function applyLimits(tx: Tx, l: ChangeLimits): Promise<void> {
  await tx.$queryRaw`SELECT set_config('lock_timeout', ${`${l.lockTimeoutMs}ms`}, true), set_config('statement_timeout', ${`${l.statementTimeoutMs}ms`}, true)`;
}
