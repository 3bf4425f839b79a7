// Gathers the readiness inputs from PostgreSQL (heartbeats, audit trail, positions, shadow
// decisions and comparisons, gateway attempts) and evaluates them with the pure checklist.
import { LEGACY_MODULES } from "../../../core/gateway/modules";
import { z } from "zod";
import { evaluateReadiness, type Readiness, type ReadinessInputs } from "../../../core/readiness";
import { DEFAULT_MIN_SHADOW_POSITIONS } from "../../../core/readiness/shadow-comparison-test";
import { resolveOperationalState, SAFEST_TOGGLES, type OperationalState } from "../../../core/toggles";
import { MAX_MIN_SHADOW_POSITIONS, env as processEnv, parseEnv } from "../../../env.js";
import type { Db } from "../../db/client";
import { WORKER_STALE_AFTER_MS } from "../get-worker-status";
import { readStoredToggles, type StoredToggles } from "../../db/toggle-row";
import { readCeilings } from "../../toggle-ceilings";
import { toShadowPair, type ShadowPairRow } from "./shadow-pairs";

export interface ReadinessOptions {
  now?: Date;
  /** an environment to read ceilings and settings from (default: this process's) */
  env?: Record<string, string | undefined>;
  /** the stored toggle row when the caller has just read it (saves a round trip) */
  stored?: StoredToggles | null;
}

const LIVE: OperationalState = "EXIT_BRAIN_V3_LIVE";
/** shadowDecisionCount counts up to this many decisions (the checklist needs at least one). */
export const SHADOW_COUNT_CAP = 10_000;

/** Closed shadowed positions read for the paired test (the newest). */
export const PAIRS_CAP = MAX_MIN_SHADOW_POSITIONS;

const MinPositionsSchema = z.coerce.number().int().min(2).max(PAIRS_CAP);

/** READINESS_MIN_SHADOW_POSITIONS: closed shadowed positions needed before the comparison judges (default 30). */
export function minShadowPositions(env: { READINESS_MIN_SHADOW_POSITIONS?: string | undefined }): number {
  const raw = env.READINESS_MIN_SHADOW_POSITIONS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_MIN_SHADOW_POSITIONS;
  const r = MinPositionsSchema.safeParse(raw);
  if (!r.success) throw new Error(`READINESS_MIN_SHADOW_POSITIONS="${raw}" is not valid: give a whole number from 2 to ${PAIRS_CAP} (default ${DEFAULT_MIN_SHADOW_POSITIONS})`);
  return r.data;
}

export async function getReadiness(db: Db, opts: ReadinessOptions = {}): Promise<Readiness> {
  return evaluateReadiness(await gatherReadinessInputs(db, opts));
}

/** A client or an open transaction (the toggle change evaluates readiness inside its own). */
type Reader = Pick<Db, "$queryRaw" | "exitToggles">;

export async function gatherReadinessInputs(db: Reader, opts: ReadinessOptions = {}): Promise<ReadinessInputs> {
  const now = opts.now ?? new Date();
  const cfg = opts.env ? parseEnv(opts.env) : processEnv();
  const parsed = readCeilings(cfg);
  const stored = opts.stored !== undefined ? opts.stored : await readStoredToggles(db);
  const state = resolveOperationalState({ stored: stored?.toggles ?? SAFEST_TOGGLES, ceilings: parsed.ceilings }).operationalState;

  const [workers, transitions, openPositions, counts, comparison, pairs] = await Promise.all([
    db.$queryRaw<{ up_since: Date | null; info: unknown }[]>`
      SELECT (SELECT min(started_at) FROM worker_heartbeat WHERE beat_at > ${new Date(now.getTime() - WORKER_STALE_AFTER_MS)}) AS up_since,
             (SELECT info FROM worker_heartbeat ORDER BY beat_at DESC LIMIT 1) AS info`,
    // The latest audit row of each kind of state transition the checklist needs.
    db.$queryRaw<{ left_legacy: Date | null; became_live: Date | null; left_live: Date | null; last_change: Date | null; last_escalation: Date | null }[]>`
      SELECT max(at) FILTER (WHERE coalesce(state_before, 'LEGACY') = 'LEGACY' AND state_after <> 'LEGACY') AS left_legacy,
             max(at) FILTER (WHERE coalesce(state_before, '') <> ${LIVE} AND state_after = ${LIVE}) AS became_live,
             max(at) FILTER (WHERE state_before = ${LIVE} AND state_after <> ${LIVE}) AS left_live,
             max(at) FILTER (WHERE state_before IS DISTINCT FROM state_after) AS last_change,
             max(at) FILTER (WHERE kind = 'escalation' AND state_before IS DISTINCT FROM state_after) AS last_escalation
        FROM toggle_audit`,
    db.$queryRaw<{ symbol: string; protected: boolean; dual_position: boolean; last_decision_at: Date | null }[]>`
      SELECT p.symbol, p.protected, p.dual_position,
             (SELECT max(d.at) FROM shadow_decision d WHERE d.symbol = p.symbol) AS last_decision_at
        FROM position_safety p WHERE p.size <> 0`,
    // Capped: the check only needs "populated"; a full count(*) over millions of rows on every
    // status read (every second from the dashboard) is what made the status slow.
    db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM shadow_decision LIMIT ${SHADOW_COUNT_CAP}) capped`,
    db.$queryRaw<{ n: bigint; brain: number | null; legacy: number | null }[]>`
      SELECT count(*) AS n, avg(brain_return_pct) AS brain, avg(legacy_return_pct) AS legacy FROM shadow_comparison`,
    // The paired test's input: the newest positions (capped; far more than any verdict needs).
    db.$queryRaw<ShadowPairRow[]>`
      SELECT brain_return_pct AS brain, legacy_return_pct AS legacy, closed_at, held_to_close FROM shadow_comparison ORDER BY closed_at DESC LIMIT ${PAIRS_CAP}`,
  ]);
  const w = workers[0];
  const tr = transitions[0];
  const executor = (w?.info as { executor?: { running?: unknown } } | null)?.executor;
  const c = comparison[0];
  return {
    now,
    state,
    observationHours: cfg.READINESS_OBSERVATION_H,
    decisionIntervalS: cfg.EXIT_BRAIN_INTERVAL_S,
    workerUpSince: w?.up_since ?? null,
    executorOnSince: state === "LEGACY" ? null : (tr?.left_legacy ?? stored?.updatedAt ?? null),
    executorRunning: typeof executor?.running === "boolean" ? executor.running : null,
    openPositions: openPositions.map((p) => ({ symbol: p.symbol, protected: p.protected, dualPosition: p.dual_position, lastDecisionAt: p.last_decision_at })),
    shadowDecisionCount: Number(counts[0]?.n ?? 0),
    comparison: {
      positions: Number(c?.n ?? 0),
      brainAvgReturnPct: c?.brain ?? null,
      legacyAvgReturnPct: c?.legacy ?? null,
      pairs: pairs.map(toShadowPair),
      minPositions: minShadowPositions(cfg),
    },
    sinceLive: state === LIVE && tr?.became_live ? await attemptsSince(db, tr.became_live) : null,
    lastLeftLiveAt: tr?.left_live ?? null,
    lastStateChangeAt: tr?.last_change ?? null,
    lastEscalationAt: tr?.last_escalation ?? null,
  };
}

async function attemptsSince(db: Reader, since: Date): Promise<NonNullable<ReadinessInputs["sinceLive"]>> {
  const legacy = [...LEGACY_MODULES];
  const [r] = await db.$queryRaw<{ executor_placed: bigint; legacy_attempts: bigint; legacy_blocked: bigint; legacy_placed: bigint }[]>`
    SELECT count(*) FILTER (WHERE module = 'exit_executor' AND outcome = 'placed') AS executor_placed,
           count(*) FILTER (WHERE module = ANY(${legacy})) AS legacy_attempts,
           count(*) FILTER (WHERE module = ANY(${legacy}) AND outcome = 'blocked') AS legacy_blocked,
           count(*) FILTER (WHERE module = ANY(${legacy}) AND outcome = 'placed') AS legacy_placed
      FROM exit_order_attempt WHERE created_at >= ${since}`;
  return {
    at: since,
    executorPlaced: Number(r?.executor_placed ?? 0),
    legacyAttempts: Number(r?.legacy_attempts ?? 0),
    legacyBlocked: Number(r?.legacy_blocked ?? 0),
    legacyPlaced: Number(r?.legacy_placed ?? 0),
  };
}
