// Market regime of each entry, for reporting results per regime. Stated rule (also in
// docs/backtest-protocol.md): over the 24 hours after the entry (the brain's longest hold),
// z = log return / (sigma x sqrt(candles)), sigma = the standard deviation of one-candle log
// returns over the whole file part.
//   crash: z <= -2      trend: |z| >= 1 (not a crash)      range: otherwise
// The policies never see this; it only groups the trades for the report.
import type { Candle } from "../market/types";

export type Regime = "trend" | "range" | "crash";
export const REGIMES: readonly Regime[] = ["trend", "range", "crash"];

const DAY_MS = 86_400_000;

export function candleLogVol(candles: readonly Candle[]): number {
  let s = 0;
  let q = 0;
  let n = 0;
  for (let i = 1; i < candles.length; i++) {
    const r = Math.log(candles[i]!.close / candles[i - 1]!.close);
    s += r;
    q += r * r;
    n++;
  }
  if (n < 2) return Number.NaN;
  const m = s / n;
  return Math.sqrt(Math.max(0, (q - n * m * m) / (n - 1)));
}

export function regimeAt(candles: readonly Candle[], index: number, intervalMs: number, sigma: number, horizonMs = DAY_MS): Regime {
  const h = Math.max(1, Math.round(horizonMs / intervalMs));
  const j = Math.min(candles.length - 1, index + h);
  const steps = j - index;
  if (steps <= 0 || !(sigma > 0)) return "range";
  const z = Math.log(candles[j]!.close / candles[index]!.close) / (sigma * Math.sqrt(steps));
  return z <= -2 ? "crash" : Math.abs(z) >= 1 ? "trend" : "range";
}
