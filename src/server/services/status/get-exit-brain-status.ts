// Gathers everything the status report needs: stored toggles + this process's ceilings, the
// freshest worker heartbeat (with the executor info the worker publishes), and the metrics.
// The live read (no `now`/`env` given: the health endpoint, the tRPC query, the CLI) goes
// through a short per-process single-flight cache: the dashboard polls every second from every
// open tab, and at 200 requests/s recomputing the whole status per request (a dozen queries) was
// the bottleneck. A toggle change, from any process, must show at once (the kill switch within
// a second): in the web server (Next.js) a LISTEN on the toggle channel drops the cached status
// the moment a change commits; elsewhere, or while that connection is down, each read checks the
// stored toggle version (one primary-key read) and recomputes when it moved. Heartbeat and
// metrics are at most STATUS_TTL_MS old (STATUS_MAX_STALE_MS while a refresh runs).
import { z } from "zod";
import { resolveOperationalState, SAFEST_TOGGLES } from "../../../core/toggles";
import { buildStatusReport, type StatusReport } from "../../../core/status/status-report";
import type { Db } from "../../db/client";
import { SingleFlightCache } from "../../cache/single-flight-cache";
import { WORKER_STALE_AFTER_MS } from "../get-worker-status";
import { getReadiness } from "../readiness/get-readiness";
import { ToggleChangeListener } from "../../cache/toggle-change-listener";
import { resolveDatabaseUrl } from "../../db/connection";
import { readStoredToggles, TOGGLE_CHANNEL } from "../../db/toggle-row";
import { readCeilings } from "../../toggle-ceilings";
import { getExitMetricsWithLifetime } from "./get-exit-metrics";

/** What the worker publishes in its heartbeat `info` (validated: it crosses a process boundary). */
export const WorkerPublishedInfo = z
  .object({
    executor: z
      .object({ running: z.boolean(), effective_mode: z.string(), last_decision_timestamp: z.string().nullable() })
      .optional(),
    toggles: z.object({ confirmed: z.boolean(), version: z.number().nullable(), state: z.string() }).optional(),
    // disk pressure (worker/retention/disk-monitor.ts): its warnings join the status warnings
    disk: z.object({ low: z.boolean(), database_full: z.boolean(), warnings: z.array(z.string().max(1000)).max(20) }).optional(),
  })
  .passthrough();

export const STATUS_TTL_MS = 500;
export const STATUS_MAX_STALE_MS = 2_000;

export interface StatusOptions {
  now?: Date;
  env?: Record<string, string | undefined>;
  /** skip the cache (default: cached unless `now` or `env` is given) */
  fresh?: boolean;
}

const caches = new WeakMap<Db, SingleFlightCache<StatusReport>>();
const g = globalThis as unknown as { __exitBrainToggleListener?: ToggleChangeListener | null };

/** One LISTEN connection per web server process (Next.js sets NEXT_RUNTIME); none in the CLI or tests. */
function webToggleListener(): ToggleChangeListener | null {
  if (g.__exitBrainToggleListener === undefined) {
    g.__exitBrainToggleListener = process.env.NEXT_RUNTIME === "nodejs" ? new ToggleChangeListener(resolveDatabaseUrl(), TOGGLE_CHANNEL).start() : null;
  }
  return g.__exitBrainToggleListener;
}

export async function getExitBrainStatus(db: Db, opts: StatusOptions = {}): Promise<StatusReport> {
  if (opts.fresh || opts.now || opts.env) return computeExitBrainStatus(db, opts);
  let cache = caches.get(db);
  const listener = webToggleListener();
  if (!cache) {
    const c = new SingleFlightCache(() => computeExitBrainStatus(db), { ttlMs: STATUS_TTL_MS, maxStaleMs: STATUS_MAX_STALE_MS });
    listener?.onChange(() => c.invalidate());
    caches.set(db, (cache = c));
  }
  if (listener?.live) return cache.get("listening");
  // One primary-key read per request: the stored toggle version keys the cached status.
  const [row] = await db.$queryRaw<{ version: bigint }[]>`SELECT version FROM exit_toggles LIMIT 1`;
  return cache.get(row ? String(row.version) : null);
}

export async function computeExitBrainStatus(db: Db, opts: { now?: Date; env?: Record<string, string | undefined> } = {}): Promise<StatusReport> {
  const now = opts.now ?? new Date();
  const parsed = readCeilings(opts.env);
  const stored = await readStoredToggles(db);
  const period = await currentPeriod(db);
  const [beat, { window: metrics, lifetime: lifetimeMetrics }, readiness] = await Promise.all([
    db.workerHeartbeat.findFirst({ orderBy: { beatAt: "desc" }, select: { workerId: true, beatAt: true, info: true } }),
    // the period's and the lifetime's counts, from the running counts
    getExitMetricsWithLifetime(db, period.since && period.toggle_version !== null ? { since: period.since, sinceVersion: period.toggle_version } : undefined),
    getReadiness(db, { now, env: opts.env, stored }),
  ]);
  const ageMs = beat ? Math.max(0, now.getTime() - beat.beatAt.getTime()) : null;
  const info = WorkerPublishedInfo.safeParse(beat?.info ?? {});
  const published = info.success ? info.data : {};
  const resolution = resolveOperationalState({
    stored: stored?.toggles ?? SAFEST_TOGGLES,
    ceilings: parsed.ceilings,
    enabledFlag: parsed.enabledFlag,
    parseWarnings: parsed.warnings,
  });
  return buildStatusReport({
    now,
    resolution,
    version: stored?.version ?? null,
    ceilings: parsed.ceilings,
    metrics,
    lifetimeMetrics,
    period: { since: period.since?.toISOString() ?? null, toggle_version: period.toggle_version, audit_id: period.audit_id },
    executor: published.executor ?? null,
    worker: {
      // the same rules as getWorkerStatus, from the one heartbeat read
      up: ageMs !== null && ageMs < WORKER_STALE_AFTER_MS,
      worker_id: beat?.workerId ?? null,
      last_beat_at: beat?.beatAt.toISOString() ?? null,
      seconds_since_beat: ageMs === null ? null : Math.round(ageMs / 1000),
      toggle_state_confirmed: published.toggles?.confirmed ?? null,
      toggle_version: published.toggles?.version ?? null,
    },
    readiness,
    diskWarnings: published.disk?.warnings ?? [],
  });
}

/**
 * The current period: since the audit row of the latest change that changed the state (the
 * seed row counts: it has no state before). Null before the first boot (count everything).
 */
async function currentPeriod(db: Db): Promise<{ since: Date | null; toggle_version: number | null; audit_id: number | null }> {
  const [row] = await db.$queryRaw<{ id: bigint; at: Date; version_after: bigint }[]>`
    SELECT id, at, version_after FROM toggle_audit WHERE state_before IS DISTINCT FROM state_after ORDER BY id DESC LIMIT 1`;
  return row ? { since: row.at, toggle_version: Number(row.version_after), audit_id: Number(row.id) } : { since: null, toggle_version: null, audit_id: null };
}
