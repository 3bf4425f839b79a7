// Average True Range (Wilder). The incremental step is what the backtester and the executor
// call per candle; atrFromCandles is the batch form for a window of recent candles.
import type { Candle } from "../market/types";

export function trueRange(high: number, low: number, prevClose: number): number {
  if (!Number.isFinite(prevClose)) return high - low;
  return Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
}

/**
 * One Wilder step. `count` is how many true ranges were seen before this one; the first
 * `period` values are averaged plainly (seeding), then smoothed with weight 1/period.
 */
export function wilderAtrStep(prevAtr: number, count: number, tr: number, period: number): number {
  if (count === 0) return tr;
  if (count < period) return (prevAtr * count + tr) / (count + 1);
  return (prevAtr * (period - 1) + tr) / period;
}

/** ATR over a candle window (oldest first); NaN when there are fewer than `period` candles. */
export function atrFromCandles(candles: readonly Candle[], period: number): number {
  if (candles.length < period) return Number.NaN;
  let atr = 0;
  let prevClose = Number.NaN;
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    atr = wilderAtrStep(atr, i, trueRange(c.high, c.low, prevClose), period);
    prevClose = c.close;
  }
  return atr;
}
