// The four-eyes path to LIVE: one operator requests (typed confirmation + reason), a DIFFERENT
// operator approves within 15 minutes; approval and the toggle change commit in one transaction
// so there is never an approved request without LIVE, or LIVE without its approval.
import { applyCeilings, operationalStateOf, type ToggleCeilings, type ToggleSet } from "../../../core/toggles";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { checkReadinessForLive } from "../readiness/check-readiness-for-live";
import type { ReadinessOptions } from "../readiness/get-readiness";
import { checkedReason } from "./check-reason";
import { changeToggles, type ToggleSource } from "./change-toggles";
import { effectivePolicy, readPolicy } from "./policy";
import type { ChangeOutcome } from "./change-result.types";
import { GO_LIVE_PHRASE, LIVE_REQUEST_TTL_MIN, type LiveRequestSummary } from "./live-requests.types";
import { readStoredToggles } from "../../db/toggle-row";

export const LIVE_TOGGLES: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };

export interface LiveRequestContext {
  actor: string;
  source: ToggleSource;
  ceilings: ToggleCeilings;
  /** REQUIRE_READINESS */
  requireReadiness: boolean;
  now?: Date;
  readiness?: ReadinessOptions;
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
interface LiveRequestRow {
  id: bigint;
  requestedAt: Date;
  requestedBy: string;
  reason: string;
  expiresAt: Date;
  status: string;
  decidedAt: Date | null;
  decidedBy: string | null;
}

export function assertGoLivePhrase(typed: string): void {
  if (typed.trim() !== GO_LIVE_PHRASE) {
    throw new AppError("BAD_REQUEST", `To go LIVE, type ${GO_LIVE_PHRASE} exactly (in capitals) in the confirmation box${typed.trim() ? `; you typed "${typed.trim()}"` : ""}.`);
  }
}

/** A ceiling that makes LIVE impossible is better said at request time than at approval time. */
export function assertCeilingsAllowLive(ceilings: ToggleCeilings): void {
  const capped = Object.entries(ceilings).filter(([k, v]) => LIVE_TOGGLES[k as keyof ToggleSet] !== v);
  if (operationalStateOf(applyCeilings(LIVE_TOGGLES, ceilings).effective) !== "EXIT_BRAIN_V3_LIVE") {
    throw new AppError(
      "FORBIDDEN",
      `LIVE is impossible on this deployment: the environment caps ${capped.map(([k, v]) => `${k}=${v}`).join(", ")}. Change or remove that variable and restart first.`,
    );
  }
}

export async function requestLive(db: Db, input: { confirmation: string; reason: string }, ctx: LiveRequestContext): Promise<LiveRequestSummary & { readinessWarnings: string[] }> {
  const now = ctx.now ?? new Date();
  assertGoLivePhrase(input.confirmation);
  const reason = checkedReason(input.reason) ?? "";
  if (!reason) throw new AppError("BAD_REQUEST", "A reason is required to request LIVE: say why, for the audit trail.");
  assertCeilingsAllowLive(ctx.ceilings);
  await assertNotLive(db, ctx.ceilings);
  const policy = effectivePolicy(await readPolicy(db), { requireReadiness: ctx.requireReadiness });
  // An override is consumed at approval time, so a request with unmet items may wait for it.
  const readinessWarnings = await checkReadinessForLive(db, policy.requireReadiness && !policy.readinessOverrideActive, { ...ctx.readiness, now });
  return db.$transaction(async (tx) => {
    await expireStale(tx, now);
    // One open request at a time: two would let a second operator approve the wrong one.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('live_request'))`;
    const open = await tx.liveRequest.findFirst({ where: { status: "pending" }, orderBy: { requestedAt: "desc" } });
    if (open) {
      throw new AppError("CONFLICT", `LIVE request #${open.id} by ${open.requestedBy} is already waiting for approval until ${open.expiresAt.toISOString()}: approve or cancel it first.`);
    }
    const row = await tx.liveRequest.create({
      data: { requestedAt: now, requestedBy: ctx.actor, reason, expiresAt: new Date(now.getTime() + LIVE_REQUEST_TTL_MIN * 60_000) },
    });
    return { ...summarize(row, now), readinessWarnings };
  });
}

export async function approveLive(db: Db, id: number, ctx: LiveRequestContext): Promise<ChangeOutcome> {
  const now = ctx.now ?? new Date();
  assertCeilingsAllowLive(ctx.ceilings);
  // Persist expiries first, in their own statement: the refusal below rolls back its transaction.
  await expireStale(db, now);
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<LiveRequestRow[]>`
      SELECT id, requested_at AS "requestedAt", requested_by AS "requestedBy", reason, expires_at AS "expiresAt", status,
             decided_at AS "decidedAt", decided_by AS "decidedBy"
        FROM live_request WHERE id = ${BigInt(id)} FOR UPDATE`;
    if (!row) throw new AppError("NOT_FOUND", `There is no LIVE request #${id}.`);
    if (row.status === "expired" || (row.status === "pending" && row.expiresAt <= now)) {
      throw new AppError("PRECONDITION_FAILED", `LIVE request #${id} expired at ${row.expiresAt.toISOString()} (requests are valid ${LIVE_REQUEST_TTL_MIN} minutes): ask for a new one.`);
    }
    if (row.status !== "pending") {
      throw new AppError("CONFLICT", `LIVE request #${id} is already ${row.status}${row.decidedBy ? ` by ${row.decidedBy}` : ""}.`);
    }
    if (row.requestedBy.toLowerCase() === ctx.actor.toLowerCase()) {
      throw new AppError("FORBIDDEN", `You requested LIVE #${id} yourself: a different operator must approve it.`);
    }
    await tx.liveRequest.update({ where: { id: row.id }, data: { status: "approved", decidedAt: now, decidedBy: ctx.actor } });
    // The readiness gate and the stored policy apply here too (changeToggles is the one door).
    return changeToggles(joinTransaction(tx), {
      changes: LIVE_TOGGLES,
      actor: ctx.actor,
      source: ctx.source,
      reason: `LIVE request #${id} by ${row.requestedBy} approved by ${ctx.actor}: ${row.reason}`,
      ceilings: ctx.ceilings,
      confirmLive: true,
      requireApproval: true,
      requireReadiness: ctx.requireReadiness,
      approvedRequestId: id,
      readiness: { ...ctx.readiness, now },
    });
  });
}

export async function cancelLiveRequest(db: Db, id: number, ctx: { actor: string; now?: Date }): Promise<LiveRequestSummary> {
  const now = ctx.now ?? new Date();
  const updated = await db.liveRequest.updateMany({
    where: { id: BigInt(id), status: "pending" },
    data: { status: "cancelled", decidedAt: now, decidedBy: ctx.actor },
  });
  const row = await db.liveRequest.findUnique({ where: { id: BigInt(id) } });
  if (!row) throw new AppError("NOT_FOUND", `There is no LIVE request #${id}.`);
  if (updated.count === 0) throw new AppError("CONFLICT", `LIVE request #${id} is ${row.status}, not pending: nothing to cancel.`);
  return summarize(row, now);
}

/** Newest first; a pending request past its expiry is shown as expired. */
export async function listLiveRequests(db: Db, opts: { now?: Date; limit?: number } = {}): Promise<LiveRequestSummary[]> {
  const now = opts.now ?? new Date();
  const rows = await db.liveRequest.findMany({ orderBy: [{ requestedAt: "desc" }, { id: "desc" }], take: opts.limit ?? 20 });
  return rows.map((r) => summarize(r, now));
}

function summarize(r: LiveRequestRow, now: Date): LiveRequestSummary {
  const status = r.status === "pending" && r.expiresAt <= now ? "expired" : r.status;
  if (status !== "pending" && status !== "approved" && status !== "expired" && status !== "cancelled") {
    throw new AppError("UNAVAILABLE", `LIVE request #${r.id} has an unknown status "${r.status}".`);
  }
  return { ...r, id: Number(r.id), status };
}

async function expireStale(db: Pick<Db, "liveRequest">, now: Date): Promise<void> {
  await db.liveRequest.updateMany({ where: { status: "pending", expiresAt: { lte: now } }, data: { status: "expired", decidedAt: now } });
}

async function assertNotLive(db: Db, ceilings: ToggleCeilings): Promise<void> {
  const stored = await readStoredToggles(db);
  if (stored && operationalStateOf(applyCeilings(stored.toggles, ceilings).effective) === "EXIT_BRAIN_V3_LIVE") {
    throw new AppError("CONFLICT", "The state is already EXIT_BRAIN_V3_LIVE: nothing to request.");
  }
}

/**
 * changeToggles opens its own transaction; inside ours it must join it instead, so the approval
 * and the toggle change commit (or roll back) together.
 */
function joinTransaction(tx: Tx): Db {
  const join = <T>(fn: (t: Tx) => Promise<T>): Promise<T> => fn(tx);
  return new Proxy(tx, { get: (target, key) => (key === "$transaction" ? join : Reflect.get(target, key)) }) as unknown as Db;
}
