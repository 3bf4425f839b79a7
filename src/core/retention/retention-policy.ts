// What to expire and which day partitions to create or drop: pure decisions from "now", the
// retention policy and what exists. The worker (worker/retention/) carries them out.
// Audit trails have no entry here on purpose: they are never expired.

export const DAY_MS = 86_400_000;

/** Days each kind of data is kept (0 = forever). */
export interface RetentionPolicy {
  exitOrderAttemptDays: number;
  /** shadow_decision in full (whole UTC-day partitions); the per-minute rollup is kept forever */
  shadowDecisionDays: number;
  heartbeatDays: number;
  safetySampleDays: number;
  accountPnlDays: number;
  /** market_candle: the candles recorded for the position page's chart */
  marketCandleDays: number;
  /** day partitions of shadow_decision created ahead of today */
  partitionsAheadDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  exitOrderAttemptDays: 365,
  shadowDecisionDays: 90,
  heartbeatDays: 7,
  safetySampleDays: 7,
  accountPnlDays: 400,
  // As long as the decisions (shadowDecisionDays): a closed position's page keeps its chart as long
  // as its decisions, and longer than the chart ever reads (10,000 5m candles, about 35 days).
  marketCandleDays: 90,
  partitionsAheadDays: 7,
};

/** Rows older than the returned instant are expired; null = kept forever. */
export function cutoffOf(nowMs: number, days: number): Date | null {
  if (!Number.isFinite(days) || days <= 0) return null;
  return new Date(nowMs - days * DAY_MS);
}

/** The UTC day (YYYY-MM-DD) an instant falls in. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Start of a UTC day (YYYY-MM-DD) in epoch ms. */
export function dayStartMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms)) throw new Error(`"${day}" is not a day (YYYY-MM-DD)`);
  return ms;
}

export interface PartitionPlan {
  /** days (YYYY-MM-DD) whose partition must be created, oldest first */
  create: string[];
  /** days whose partition is entirely past retention, oldest first */
  drop: string[];
  /** rows of the default partition older than this are expired by batch delete; null = none */
  defaultCutoff: Date | null;
}

/**
 * Day partitions for a table partitioned by UTC day: create today .. today + ahead when missing;
 * drop a day only when ALL of it is older than the retention (its end <= now - days), and never
 * today's or yesterday's partition whatever the policy says (a wrong clock must not cost a day).
 */
export function planDayPartitions(nowMs: number, existing: readonly string[], days: number, aheadDays: number): PartitionPlan {
  const have = new Set(existing);
  const today = dayStartMs(utcDay(nowMs));
  const create: string[] = [];
  for (let k = 0; k <= aheadDays; k++) {
    const d = utcDay(today + k * DAY_MS);
    if (!have.has(d)) create.push(d);
  }
  const cutoff = cutoffOf(nowMs, days);
  const protectFrom = today - DAY_MS; // yesterday
  const drop = cutoff === null ? [] : [...have].filter((d) => dayStartMs(d) + DAY_MS <= cutoff.getTime() && dayStartMs(d) < protectFrom).sort();
  return { create, drop, defaultCutoff: cutoff };
}

/** `shadow_decision_p20261127` -> `2026-11-27`; anything else (the default partition) -> null. */
export function dayOfPartition(table: string, partition: string): string | null {
  const m = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(partition);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}
