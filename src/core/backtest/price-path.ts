// The intrabar price path the evaluator fills against: a sequence of discrete prices ("ticks")
// per candle. Where finer candles cover a candle (e.g. 1m inside 5m, 5m inside 1h) the path is
// built from them; elsewhere from the stated OHLC path model:
//
//   open -> the extreme nearer the open -> the other extreme -> close
//
// (a tie goes to the extreme against the candle's direction first), each leg cut into equal
// steps of at most `maxStepPct` percent of the price (at least one step per leg). Consecutive points are JUMPS, not a continuous line: an order whose trigger lies
// between two points fills at the later point's price (for a stop, the worse of trigger and that
// price), so the path never hands out a fill at the trigger that a real, jumping market would not.
// The move from one candle's close to the next candle's open is a jump too (gap-aware).
import type { Candle } from "../market/types";

export interface PricePath {
  /** every point's price, candle after candle */
  readonly prices: Float64Array;
  /** every point's time, epoch ms (spread evenly over the candle; the close at its close time) */
  readonly times: Float64Array;
  /** points of candle i are [barStart[i], barStart[i + 1]) ; length candles + 1 */
  readonly barStart: Int32Array;
  /** candles whose path came from finer candles */
  readonly finerBars: number;
}

export interface FinerCandles {
  readonly candles: readonly Candle[];
  readonly intervalMs: number;
}

/** Relative tolerance when checking that finer candles agree with the coarse one. */
const AGREE_TOL = 2e-3;

/** The OHLC model's points for one candle (without its time stamps), appended to `out`. */
export function ohlcPathPoints(c: Pick<Candle, "open" | "high" | "low" | "close">, maxStepPct: number, out: number[]): void {
  const up = c.high - c.open;
  const down = c.open - c.low;
  const highFirst = up < down || (up === down && c.close < c.open);
  const e1 = highFirst ? c.high : c.low;
  const e2 = highFirst ? c.low : c.high;
  out.push(c.open);
  if (c.high === c.low) return; // a trade print (or a flat candle): one point
  const unit = (maxStepPct / 100) * c.open;
  leg(c.open, e1, unit, out);
  leg(e1, e2, unit, out);
  leg(e2, c.close, unit, out);
}

function leg(a: number, b: number, unit: number, out: number[]): void {
  const steps = unit > 0 ? Math.max(1, Math.ceil(Math.abs(b - a) / unit - 1e-9)) : 1;
  for (let s = 1; s < steps; s++) out.push(a + ((b - a) * s) / steps);
  out.push(b);
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= AGREE_TOL * Math.abs(b);
}

/** Finer candles [from, to) that tile `c` exactly and agree with its OHLC, or null. */
function finerFor(c: Candle, intervalMs: number, fine: FinerCandles, from: number): { from: number; to: number } | null {
  const per = Math.round(intervalMs / fine.intervalMs);
  if (per < 2 || from + per > fine.candles.length) return null;
  const first = fine.candles[from]!;
  if (first.openTime !== c.openTime) return null;
  let hi = -Infinity;
  let lo = Infinity;
  for (let k = 0; k < per; k++) {
    const f = fine.candles[from + k]!;
    if (f.openTime !== c.openTime + k * fine.intervalMs) return null;
    if (f.high > hi) hi = f.high;
    if (f.low < lo) lo = f.low;
  }
  const last = fine.candles[from + per - 1]!;
  return near(first.open, c.open) && near(hi, c.high) && near(lo, c.low) && near(last.close, c.close) ? { from, to: from + per } : null;
}

/**
 * Builds the path for `candles` (interval `intervalMs`). `finer`, when given, must have a
 * smaller interval; candles it tiles are pathed through it, each finer candle by the same OHLC
 * model; the others by the OHLC model directly. `maxStepPct`: largest step between points.
 */
export function buildPricePath(candles: readonly Candle[], intervalMs: number, maxStepPct: number, finer?: FinerCandles): PricePath {
  const prices: number[] = [];
  const times: number[] = [];
  const barStart = new Int32Array(candles.length + 1);
  let finerBars = 0;
  let j = 0; // cursor into finer candles
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    barStart[i] = prices.length;
    let tile: { from: number; to: number } | null = null;
    if (finer && finer.intervalMs < intervalMs) {
      while (j < finer.candles.length && finer.candles[j]!.openTime < c.openTime) j++;
      tile = finerFor(c, intervalMs, finer, j);
    }
    if (tile) {
      finerBars++;
      for (let k = tile.from; k < tile.to; k++) {
        const f = finer!.candles[k]!;
        const from = prices.length;
        ohlcPathPoints(f, maxStepPct, prices);
        pushTimes(prices.length - from, f.openTime, finer!.intervalMs, times);
      }
      j = tile.to;
    } else {
      const from = prices.length;
      ohlcPathPoints(c, maxStepPct, prices);
      pushTimes(prices.length - from, c.openTime, intervalMs, times);
    }
  }
  barStart[candles.length] = prices.length;
  return { prices: Float64Array.from(prices), times: Float64Array.from(times), barStart, finerBars };
}

/** Times for `count` points spread evenly from the open time to the close time (the last = the close). */
function pushTimes(count: number, openTime: number, intervalMs: number, times: number[]): void {
  const m = count - 1;
  for (let k = 0; k <= m; k++) times.push(openTime + (m === 0 ? intervalMs : (intervalMs * k) / m));
}
