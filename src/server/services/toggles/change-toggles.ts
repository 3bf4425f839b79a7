// Every toggle change goes through here: one transaction that locks the row, checks the
// ceilings and the rules for escalations, bumps the version, writes exactly one audit row and
// NOTIFYs the new row (delivered on commit; see toggle-notify-payload.ts). Concurrent changes serialise on the row lock.
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
import { toggleNotifyPayload } from "./toggle-notify-payload";
import { fromRow, TOGGLE_CHANNEL, toColumns, type StoredToggles } from "./toggle-row";

export const TOGGLE_SOURCES = ["dashboard", "api", "cli", "env", "watchdog"] as const;
export type ToggleSource = (typeof TOGGLE_SOURCES)[number];

export interface ChangeRequest {
  changes: Partial<ToggleSet>;
  actor: string;
  source: ToggleSource;
  reason?: string | null;
  /** this deployment's ceilings (environment) */
  ceilings: ToggleCeilings;
  /** an explicit, typed confirmation; required for any change that makes the state LIVE */
  confirmLive?: boolean;
  /** when REQUIRE_LIVE_APPROVAL is on, reaching LIVE needs an approved request (see live-requests.ts) */
  requireApproval?: boolean;
  approvedRequestId?: number;
  /** the kill switch's own bounds (commit-rollback.ts): a change that cannot get the row or finish in time fails fast and is retried */
  limits?: ChangeLimits;
}

export interface ChangeResult {
  changed: boolean;
  kind: ChangeKind;
  before: StoredToggles;
  after: StoredToggles;
  stateBefore: OperationalState;
  stateAfter: OperationalState;
  auditId: number | null;
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
      return { changed: false, kind: "neutral", before, after: before, stateBefore, stateAfter, auditId: null };
    }
    const reason = req.reason?.trim() || null;
    if (classified.kind !== "neutral" && !reason) {
      throw new AppError("BAD_REQUEST", `A reason is required for a${classified.kind === "escalation" ? "n escalation" : " rollback"} (${classified.changed.join(", ")}).`);
    }
    if (stateAfter === "EXIT_BRAIN_V3_LIVE" && stateBefore !== "EXIT_BRAIN_V3_LIVE") {
      if (!req.confirmLive) {
        throw new AppError("PRECONDITION_FAILED", "Going LIVE needs an explicit confirmation: type the confirmation in the dashboard, or pass --confirm-live to the CLI.");
      }
      if (req.requireApproval && req.approvedRequestId === undefined) {
        throw new AppError("PRECONDITION_FAILED", "REQUIRE_LIVE_APPROVAL is on: request LIVE and have a different operator approve it within 15 minutes.");
      }
    }
    const after = await writeChange(tx, before, wanted, req.actor);
    const audit = await tx.toggleAudit.create({
      data: {
        actor: req.actor,
        source: req.source,
        kind: classified.kind,
        reason,
        versionBefore: BigInt(before.version),
        versionAfter: BigInt(after.version),
        togglesBefore: { ...before.toggles },
        togglesAfter: { ...after.toggles },
        stateBefore,
        stateAfter,
      },
      select: { id: true },
    });
    await tx.$executeRaw`SELECT pg_notify(${TOGGLE_CHANNEL}, ${toggleNotifyPayload(after)})`;
    return { changed: true, kind: classified.kind, before, after, stateBefore, stateAfter, auditId: Number(audit.id) };
  }, req.limits ? { timeout: req.limits.transactionMs, maxWait: req.limits.transactionMs } : undefined);
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
  const rows = await tx.$queryRaw<
    { exitMode: string; exitExecutorMode: string; exitBrainV3LiveRollout: string; version: bigint; updatedAt: Date; updatedBy: string }[]
  >`SELECT exit_mode AS "exitMode", exit_executor_mode AS "exitExecutorMode", exit_brain_v3_live_rollout AS "exitBrainV3LiveRollout",
           version, updated_at AS "updatedAt", updated_by AS "updatedBy"
      FROM exit_toggles WHERE id = 1 FOR UPDATE`;
  return rows[0] ? fromRow(rows[0]) : null;
}

async function writeChange(tx: Tx, before: StoredToggles, wanted: ToggleSet, actor: string): Promise<StoredToggles> {
  const row = await tx.exitToggles.update({
    where: { id: 1 },
    data: { ...toColumns(wanted), version: BigInt(before.version + 1), updatedAt: new Date(), updatedBy: actor },
  });
  return fromRow(row);
}

/** Inserts the row if absent (first boot). Returns true when this call created it. */
export async function seedRow(tx: Tx, toggles: ToggleSet, actor: string, source: ToggleSource, reason: string): Promise<boolean> {
  const c = toColumns(toggles);
  const inserted = await tx.$executeRaw`
    INSERT INTO exit_toggles (id, exit_mode, exit_executor_mode, exit_brain_v3_live_rollout, version, updated_at, updated_by)
    VALUES (1, ${c.exitMode}, ${c.exitExecutorMode}, ${c.exitBrainV3LiveRollout}, 1, now(), ${actor})
    ON CONFLICT (id) DO NOTHING`;
  if (inserted === 0) return false;
  const classified = classifyChange(SAFEST_TOGGLES, toggles);
  await tx.toggleAudit.create({
    data: {
      actor,
      source,
      kind: classified.kind,
      reason,
      versionBefore: null,
      versionAfter: 1n,
      togglesBefore: undefined,
      togglesAfter: { ...toggles },
      stateBefore: null,
      stateAfter: classified.stateAfter,
    },
  });
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
