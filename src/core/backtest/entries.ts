// Entries for a backtest: seeded random ones, or timestamps (from a file, validated at the
// edge) mapped to candle indexes. Both policies always get the very same list.
import { createPrng } from "./prng";
import type { Candle, Side } from "../market/types";
import type { Entry } from "./types";

/**
 * `count` entries at random candles in [warmup, n - 2] (so the policy's ATR is ready and every
 * entry has at least one candle after it), random side, sorted by index.
 */
export function randomEntries(count: number, candleCount: number, seed: number, warmup: number): Entry[] {
  const rng = createPrng(seed);
  const lo = Math.min(warmup, Math.max(0, candleCount - 2));
  const span = Math.max(1, candleCount - 1 - lo);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) out.push({ index: lo + rng.int(span), side: rng.next() < 0.5 ? "long" : "short" });
  return out.sort((a, b) => a.index - b.index);
}

export interface TimedEntry {
  readonly time: number;
  readonly side: Side;
}

/** Maps each entry to the first candle opening at or after its time; drops those outside. */
export function entriesAtTimes(entries: readonly TimedEntry[], candles: readonly Candle[]): { entries: Entry[]; outside: number } {
  const out: Entry[] = [];
  let outside = 0;
  for (const e of entries) {
    let lo = 0;
    let hi = candles.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (candles[mid]!.openTime < e.time) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= candles.length - 1 || (lo === 0 && e.time < candles[0]!.openTime)) outside++;
    else out.push({ index: lo, side: e.side });
  }
  return { entries: out.sort((a, b) => a.index - b.index), outside };
}
