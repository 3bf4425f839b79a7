// How an analysis not filtered by symbol splits its range between the per-minute rollup
// (shadow_decision_minute, kept by triggers: migration 0007_shadow_perf) and the raw table:
// the rollup answers the whole epoch minutes inside [since, until), the raw table the partial
// minutes at either edge, so the answers are exactly those of the raw table alone.
const MINUTE_MS = 60_000;

export interface MinuteSplit {
  /** whole minutes [lo, hi) come from the rollup */
  lo: Date;
  hi: Date;
}

export function splitAtMinutes(since: Date, until: Date): MinuteSplit {
  const lo = Math.ceil(since.getTime() / MINUTE_MS) * MINUTE_MS;
  const hi = Math.floor(until.getTime() / MINUTE_MS) * MINUTE_MS;
  // No whole minute inside: an empty rollup range, everything from the raw table.
  if (lo >= hi) return { lo: since, hi: since };
  return { lo: new Date(lo), hi: new Date(hi) };
}

/** The rollup can serve a chart whose buckets are whole minutes (epoch-aligned, so they nest). */
export function rollupServesWidth(widthS: number): boolean {
  return widthS % 60 === 0;
}
