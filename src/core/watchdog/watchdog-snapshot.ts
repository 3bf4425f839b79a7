// What the watchdog looks at on each check. Gathered by worker/watchdog from PostgreSQL only,
// with times measured on the database's clock, so the rules stay pure and the numbers agree
// whichever process runs the watchdog.
import type { PositionMode } from "../gateway/exit-order-request";
import type { Side } from "../market/types";
import type { OperationalState } from "../toggles";

export interface WatchedPosition {
  symbol: string;
  side: Side;
  /** ms since the position lost (or never had) an exchange-side stop; null while protected */
  unprotectedForMs: number | null;
  dualPosition: boolean;
}

export interface ExchangeAttemptCounts {
  /** attempts that went to the exchange in the window: placed + failed + rejected */
  attempts: number;
  failed: number;
  rejected: number;
}

export interface DailyPnl {
  /** UTC day, YYYY-MM-DD */
  day: string;
  asset: string;
  startingBalance: number;
  currentBalance: number;
}

export interface WatchdogSnapshot {
  /** database clock, epoch ms */
  now: number;
  state: OperationalState;
  /** age of the executor's heartbeat in ms; null when no worker has ever beaten */
  heartbeatAgeMs: number | null;
  exchange: ExchangeAttemptCounts;
  positions: readonly WatchedPosition[];
  /** today's balances for the configured quote asset; null when the worker has not written any */
  dailyPnl: DailyPnl | null;
  /**
   * The account's position mode as the executor's worker last published it (heartbeat
   * info.account.position_mode); absent or null = unknown, read as one-way (the stricter rule).
   */
  positionMode?: PositionMode | null;
}

export interface HeartbeatRow {
  ageMs: number;
  /** the row's info says this worker is the HA leader (the one running the executor) */
  leader: boolean;
  /** info.account.position_mode as published; null when the row does not say */
  positionMode?: string | null;
}

/**
 * The executor's heartbeat age. With several workers (HA) only the leader runs the executor,
 * and a standby's fresh beat must not hide a dead leader: prefer rows marked leader.
 */
export function executorHeartbeatAge(rows: readonly HeartbeatRow[]): number | null {
  const leaders = rows.filter((r) => r.leader);
  const pool = leaders.length > 0 ? leaders : rows;
  if (pool.length === 0) return null;
  return Math.min(...pool.map((r) => r.ageMs));
}

/** The position mode published by the executor's worker (the leader's row first, then the freshest). */
export function publishedPositionMode(rows: readonly HeartbeatRow[]): PositionMode | null {
  const leaders = rows.filter((r) => r.leader);
  const pool = (leaders.length > 0 ? leaders : rows).filter((r) => r.positionMode === "hedge" || r.positionMode === "one-way");
  if (pool.length === 0) return null;
  return [...pool].sort((a, b) => a.ageMs - b.ageMs)[0]!.positionMode as PositionMode;
}
