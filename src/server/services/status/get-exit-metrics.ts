// The runbook's metrics, derived from the stored gateway attempts (so they survive restarts), for
// the current period and for all time.
import { LEGACY_MODULES } from "../../../core/gateway/modules";
import type { ExitMetrics } from "../../../core/status/status-report";
import type { Db } from "../../db/client";

/** The current period: attempts decided under `sinceVersion` or later, and those without a version made at or after `since`. */
export interface MetricsPeriod {
  since: Date;
  sinceVersion: number;
}

/** One group of attempts alike in everything the metrics count by, in one block of the report. */
interface AttemptGroup {
  block: "lifetime" | "period";
  module: string;
  kind: string;
  outcome: string;
  ownership_conflict: boolean;
  n: bigint;
}

/** The metrics of every attempt ever made. */
export async function getExitMetrics(db: Db): Promise<ExitMetrics> {
  return (await getExitMetricsWithLifetime(db)).lifetime;
}

/**
 * The metrics of the period `p` and of every attempt ever (the status report's period and lifetime
 * blocks), from the running counts migration 0018 keeps (exit_order_attempt_tally: signed deltas,
 * folded every minute by the worker, so a few rows per group and toggle version): the cost does
 * not grow with the attempts stored. (Counting the
 * attempts themselves took 22-45 ms on 100,000 rows per status recompute, bench/cockpit-pages.)
 * An attempt decided under version V was made after V committed, so the period needs no time
 * bound for those; the few decided without a version are counted from the table by time (its
 * partial index). One statement, so both blocks read the same snapshot. No period (before the
 * first boot): the period is everything.
 */
export async function getExitMetricsWithLifetime(db: Db, p?: MetricsPeriod): Promise<{ window: ExitMetrics; lifetime: ExitMetrics }> {
  const sinceVersion = p ? Math.max(1, p.sinceVersion) : null;
  const since = p?.since ?? null;
  const groups = await db.$queryRaw<AttemptGroup[]>`
    SELECT block, module, kind, outcome, ownership_conflict, sum(n)::bigint AS n FROM (
      SELECT 'lifetime' AS block, module, kind, outcome, ownership_conflict, n FROM exit_order_attempt_tally
      UNION ALL
      SELECT 'period', module, kind, outcome, ownership_conflict, n FROM exit_order_attempt_tally WHERE toggle_version >= ${sinceVersion}::bigint
      UNION ALL
      SELECT 'period', module, kind, outcome, ownership_conflict, count(*) FROM exit_order_attempt
       WHERE toggle_version IS NULL AND created_at >= ${since}::timestamptz GROUP BY 1, 2, 3, 4, 5
    ) g GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) > 0`;
  const lifetime = metricsOf(groups.filter((g) => g.block === "lifetime"));
  return { window: p ? metricsOf(groups.filter((g) => g.block === "period")) : lifetime, lifetime };
}

function metricsOf(groups: AttemptGroup[]): ExitMetrics {
  const legacy: ReadonlySet<string> = new Set(LEGACY_MODULES);
  const byModule = new Map<string, number>();
  const byKind = new Map<string, number>();
  let total = 0;
  let blocked = 0;
  let conflicts = 0;
  for (const g of groups) {
    const n = Number(g.n);
    total += n;
    if (g.outcome === "blocked" && legacy.has(g.module)) blocked += n;
    if (g.ownership_conflict) conflicts += n;
    if (g.outcome === "placed") {
      byModule.set(g.module, (byModule.get(g.module) ?? 0) + n);
      byKind.set(g.kind, (byKind.get(g.kind) ?? 0) + n);
    }
  }
  return {
    total_exit_orders: total,
    blocked_legacy_orders: blocked,
    ownership_conflicts: conflicts,
    orders_by_module: ordered(byModule),
    orders_by_kind: ordered(byKind),
  };
}

/** Largest count first, then by name (the order the dashboard and the log lines list them in). */
function ordered(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0)));
}

/**
 * Folds the running counts' deltas into one row per group (exit_order_attempt_tally_compact(),
 * migration 0018): the sums stay the same and the status read stays a few rows. Returns the rows
 * folded (0 when another compaction is running). The worker calls it every metrics interval.
 */
export async function compactAttemptTally(db: Pick<Db, "$queryRaw">): Promise<number> {
  const [r] = await db.$queryRaw<{ folded: number }[]>`SELECT exit_order_attempt_tally_compact() AS folded`;
  return r?.folded ?? 0;
}
