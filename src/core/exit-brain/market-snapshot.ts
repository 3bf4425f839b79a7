// What the policy knows about the market of one symbol: volatility (ATR) and the last two
// closes (for shock moves). Kept per symbol, not per position, and updated once per candle,
// so 10,000 positions on one symbol share one indicator. The candle interval is inferred from
// the candles' open times, so the policy can express volatility per unit of time (an ATR of
// 1h candles is ~7.7x one of 1m candles for the same market).
import type { Candle } from "../market/types";
import { trueRange, wilderAtrStep } from "./atr";

export interface MarketSnapshot {
  /** Wilder ATR in price units; NaN until `period` candles were seen */
  readonly atr: number;
  /** the running average, also while seeding */
  readonly runningAtr: number;
  readonly lastClose: number;
  readonly prevClose: number;
  /** candles seen */
  readonly count: number;
  readonly period: number;
  /** open time of the last candle, epoch ms (absent in hand-built snapshots) */
  readonly lastOpenTime?: number;
  /** candle interval, ms: the smallest positive open-time step seen (gaps do not inflate it); absent/NaN = unknown */
  readonly intervalMs?: number;
}

export function createMarketSnapshot(period: number): MarketSnapshot {
  return { atr: Number.NaN, runningAtr: 0, lastClose: Number.NaN, prevClose: Number.NaN, count: 0, period, lastOpenTime: Number.NaN, intervalMs: Number.NaN };
}

/** The snapshot after one more closed candle. Returns a new object; the input is untouched. */
export function updateMarketSnapshot(m: MarketSnapshot, c: Candle): MarketSnapshot {
  const runningAtr = wilderAtrStep(m.runningAtr, m.count, trueRange(c.high, c.low, m.lastClose), m.period);
  const count = m.count + 1;
  const step = c.openTime - (m.lastOpenTime ?? Number.NaN);
  const known = m.intervalMs ?? Number.NaN;
  const intervalMs = step > 0 && !(known <= step) ? step : known;
  return {
    atr: count >= m.period ? runningAtr : Number.NaN,
    runningAtr,
    lastClose: c.close,
    prevClose: m.lastClose,
    count,
    period: m.period,
    lastOpenTime: c.openTime,
    intervalMs,
  };
}

/**
 * The candles of a window that have closed by `now` (oldest first). The exchange's recent-candle
 * list ends with the candle still forming; the backtest's ATR is of closed candles only, so the
 * executor should drop it before marketSnapshotFromCandles (bench/backtest-eval.ts --parity
 * measures what reading the forming candle changes).
 */
export function closedCandles(candles: readonly Candle[], now: number, intervalMs: number): readonly Candle[] {
  let n = candles.length;
  while (n > 0 && candles[n - 1]!.openTime + intervalMs > now) n--;
  return n === candles.length ? candles : candles.slice(0, n);
}

/** The snapshot for a window of recent candles (oldest first), e.g. fetched by the executor. */
export function marketSnapshotFromCandles(candles: readonly Candle[], period: number): MarketSnapshot {
  let m = createMarketSnapshot(period);
  for (const c of candles) m = updateMarketSnapshot(m, c);
  return m;
}

/**
 * ATR rescaled to the candle interval `refIntervalMs` (square-root-of-time rule), so distances
 * in ATR multiples mean the same on 1m, 5m and 1h candles. The plain ATR when the interval or
 * the reference is unknown (refIntervalMs 0 = off).
 */
export function timeScaledAtr(m: MarketSnapshot, refIntervalMs: number): number {
  const iv = m.intervalMs ?? Number.NaN;
  return refIntervalMs > 0 && iv > 0 ? m.atr * Math.sqrt(refIntervalMs / iv) : m.atr;
}

/** sqrt(interval / reference): how much larger one candle's typical move is than the reference's (1 when unknown). */
export function intervalScale(m: MarketSnapshot, refIntervalMs: number): number {
  const iv = m.intervalMs ?? Number.NaN;
  return refIntervalMs > 0 && iv > 0 ? Math.sqrt(iv / refIntervalMs) : 1;
}
