// The runbook's metrics, derived from the stored gateway attempts (so they survive restarts),
// optionally for a time window.
import { LEGACY_MODULES } from "../../../core/gateway/modules";
import type { ExitMetrics } from "../../../core/status/status-report";
import type { Db } from "../../db/client";

export interface MetricsWindow {
  since?: Date;
  until?: Date;
  /** count only attempts decided under this toggle version or a later one (a period's start) */
  sinceVersion?: number | null;
}

export async function getExitMetrics(db: Db, w: MetricsWindow = {}): Promise<ExitMetrics> {
  const since = w.since ?? new Date(0);
  const until = w.until ?? new Date("9999-12-31T00:00:00Z");
  const legacy = [...LEGACY_MODULES];
  // An attempt decided under version V was created after V committed, so created_at >= since
  // (indexed) is implied; the version drops the ones decided just before the change.
  const minVersion = w.sinceVersion ?? 0;
  // One round trip, one scan of the window: the attempts are read once (a materialised CTE)
  // and counted three ways.
  const [r] = await db.$queryRaw<{ total: bigint; blocked: bigint; conflicts: bigint; by_module: [string, number][]; by_kind: [string, number][] }[]>`
    WITH a AS MATERIALIZED (
      SELECT module, kind, outcome, ownership_conflict FROM exit_order_attempt WHERE created_at >= ${since} AND created_at < ${until}
        AND (toggle_version IS NULL OR toggle_version >= ${minVersion})
    )
    SELECT (SELECT count(*) FROM a) AS total,
           (SELECT count(*) FROM a WHERE outcome = 'blocked' AND module = ANY(${legacy})) AS blocked,
           (SELECT count(*) FROM a WHERE ownership_conflict) AS conflicts,
           (SELECT coalesce(json_agg(json_build_array(key, n) ORDER BY n DESC, key), '[]'::json)
              FROM (SELECT module AS key, count(*) AS n FROM a WHERE outcome = 'placed' GROUP BY module) m) AS by_module,
           (SELECT coalesce(json_agg(json_build_array(key, n) ORDER BY n DESC, key), '[]'::json)
              FROM (SELECT kind AS key, count(*) AS n FROM a WHERE outcome = 'placed' GROUP BY kind) k) AS by_kind`;
  const totals = r;
  const toRecord = (rows: [string, number][]) => Object.fromEntries(rows.map(([k, n]) => [k, Number(n)]));
  const byModule = r?.by_module ?? [];
  const byKind = r?.by_kind ?? [];
  return {
    total_exit_orders: Number(totals?.total ?? 0),
    blocked_legacy_orders: Number(totals?.blocked ?? 0),
    ownership_conflicts: Number(totals?.conflicts ?? 0),
    orders_by_module: toRecord(byModule),
    orders_by_kind: toRecord(byKind),
  };
}
