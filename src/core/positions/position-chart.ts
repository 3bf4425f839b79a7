// The position page's chart data, pure: candles folded into at most `maxBars` bars (OHLC kept:
// first open, highest high, lowest low, last close), and each level series (legacy's stop and
// take-profit, Exit Brain's) carried forward in time so a bar shows the level in force at its end.
// 10,000 candles become a few hundred bars: the page draws fast and the eye loses nothing.
import type { Candle } from "../market/types";

export interface Bar {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface LevelPoint {
  at: number;
  price: number;
}

export function foldCandles(candles: readonly Candle[], maxBars: number): Bar[] {
  if (candles.length === 0) return [];
  const per = Math.max(1, Math.ceil(candles.length / maxBars));
  const bars: Bar[] = [];
  for (let i = 0; i < candles.length; i += per) {
    const chunk = candles.slice(i, i + per);
    let high = -Infinity;
    let low = Infinity;
    for (const c of chunk) {
      if (c.high > high) high = c.high;
      if (c.low < low) low = c.low;
    }
    bars.push({ t: chunk[0]!.openTime, open: chunk[0]!.open, high, low, close: chunk[chunk.length - 1]!.close });
  }
  return bars;
}

/**
 * The level in force at the end of each bar (`ends[i]`): the last point at or before it, null
 * before the first. Points must be sorted by time.
 */
export function levelAt(points: readonly LevelPoint[], ends: readonly number[]): (number | null)[] {
  const out: (number | null)[] = [];
  let j = -1;
  for (const end of ends) {
    while (j + 1 < points.length && points[j + 1]!.at <= end) j++;
    out.push(j >= 0 ? points[j]!.price : null);
  }
  return out;
}

/** Profit of a closing fill, in quote currency: sell above entry on a long gains, buy below on a short. */
export function realizedOf(side: "long" | "short", entryPrice: number, fills: readonly { price: number; quantity: number; fee: number | null }[]): number {
  const sign = side === "long" ? 1 : -1;
  return fills.reduce((sum, f) => sum + sign * (f.price - entryPrice) * f.quantity - (f.fee ?? 0), 0);
}

/** Unrealized P&L as a percentage of the entry price (unleveraged). */
export function pnlPctOf(side: "long" | "short", entryPrice: number, markPrice: number): number {
  if (!(entryPrice > 0)) return 0;
  return ((side === "long" ? markPrice - entryPrice : entryPrice - markPrice) / entryPrice) * 100;
}
