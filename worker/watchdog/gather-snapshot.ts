// Reads everything the watchdog rules need from PostgreSQL alone (never from the executor's
// memory, which may be the thing that is broken). Ages are computed with the database's now(),
// so clocks of the worker, the watchdog and the web never need to agree.
import {
  executorHeartbeatAge, publishedPositionMode, type DailyPnl, type ExchangeAttemptCounts, type HeartbeatRow, type WatchedPosition, type WatchdogConfig, type WatchdogSnapshot,
} from "../../src/core/watchdog";
import { resolveOperationalState } from "../../src/core/toggles";
import type { Side } from "../../src/core/market/types";
import type { Db } from "../../src/server/db/client";
import { fromRow, toggleRowSql, type ToggleRow } from "../../src/server/db/toggle-row";

export interface GatheredSnapshot {
  snapshot: WatchdogSnapshot;
  /** stored toggle version the state was read from; null when the row does not exist yet */
  toggleVersion: number | null;
}

export async function gatherSnapshot(db: Db, cfg: WatchdogConfig): Promise<GatheredSnapshot> {
  const [clock, toggles, beats, attempts, positions, pnl] = await Promise.all([
    db.$queryRaw<{ nowMs: number }[]>`SELECT (extract(epoch FROM now()) * 1000)::float8 AS "nowMs"`,
    db.$queryRaw<ToggleRow[]>`SELECT ${toggleRowSql("t")} FROM exit_toggles t WHERE t.id = 1`,
    db.$queryRaw<HeartbeatRow[]>`SELECT (extract(epoch FROM (now() - beat_at)) * 1000)::float8 AS "ageMs",
        COALESCE(info->'ha'->>'leader' = 'true', false) AS leader,
        info->'account'->>'position_mode' AS "positionMode"
        FROM worker_heartbeat`,
    db.$queryRaw<ExchangeAttemptCounts[]>`SELECT
        count(*) FILTER (WHERE outcome IN ('placed', 'failed', 'rejected'))::int AS attempts,
        count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
        count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected
        FROM exit_order_attempt WHERE created_at > now() - (${cfg.errorWindowS}::float8 * interval '1 second')`,
    // An unprotected row without unprotected_since counts from when it was last seen (conservative).
    db.$queryRaw<{ symbol: string; side: Side; unprotectedForMs: number | null; dualPosition: boolean }[]>`SELECT
        symbol, position_side AS side, dual_position AS "dualPosition",
        CASE WHEN protected THEN NULL
             ELSE (extract(epoch FROM (now() - COALESCE(unprotected_since, seen_at))) * 1000)::float8 END AS "unprotectedForMs"
        FROM position_safety ORDER BY symbol, position_side`,
    db.$queryRaw<DailyPnl[]>`SELECT to_char(day, 'YYYY-MM-DD') AS day, asset,
        starting_balance AS "startingBalance", current_balance AS "currentBalance"
        FROM account_pnl WHERE day = (now() AT TIME ZONE 'UTC')::date AND asset = ${cfg.quoteAsset}`,
  ]);
  const row = toggles[0];
  const stored = row ? fromRow(row) : null;
  // The state comes from the stored row alone, without this process's ceilings: every worker
  // lowers the row to its own ceilings at boot, so the row is the highest state any worker can be
  // in, and a watchdog run with a stricter environment must not mistake a LIVE worker for SHADOW.
  const state = stored ? resolveOperationalState({ stored: stored.toggles, ceilings: {} }).operationalState : "LEGACY";
  const positionsOut: WatchedPosition[] = positions.map((p) => ({ ...p }));
  return {
    toggleVersion: stored?.version ?? null,
    snapshot: {
      now: clock[0]?.nowMs ?? 0,
      state,
      heartbeatAgeMs: executorHeartbeatAge(beats),
      exchange: attempts[0] ?? { attempts: 0, failed: 0, rejected: 0 },
      positions: positionsOut,
      dailyPnl: pnl[0] ?? null,
      positionMode: publishedPositionMode(beats),
    },
  };
}
