// Per-policy figures from the closed trades (in exit order).
import { CLOSE_TYPES, type CloseType, type PolicyMetrics, type TradeResult } from "./types";

export function computeMetrics(policy: string, trades: readonly TradeResult[], stakeFraction: number): PolicyMetrics {
  const exitsByType = Object.fromEntries(CLOSE_TYPES.map((t) => [t, 0])) as Record<CloseType, number>;
  let wins = 0;
  let sum = 0;
  let sumSq = 0;
  let rSum = 0;
  let rCount = 0;
  let partials = 0;
  let hold = 0;
  let equity = 1;
  let peak = 1;
  let maxDd = 0;
  for (const t of trades) {
    exitsByType[t.closeType]++;
    if (t.ret > 0) wins++;
    sum += t.ret;
    sumSq += t.ret * t.ret;
    if (t.initialRisk > 0) {
      rSum += t.ret / t.initialRisk;
      rCount++;
    }
    partials += t.partialFills;
    hold += t.exitIndex - t.entryIndex;
    equity += stakeFraction * t.ret;
    if (equity > peak) peak = equity;
    const dd = (peak - equity) / peak;
    if (dd > maxDd) maxDd = dd;
  }
  const n = trades.length;
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  const sd = Math.sqrt(Math.max(0, variance));
  return {
    policy,
    trades: n,
    winRate: n > 0 ? wins / n : 0,
    totalReturn: equity - 1,
    avgR: rCount > 0 ? rSum / rCount : 0,
    maxDrawdown: maxDd,
    sharpe: sd > 0 ? mean / sd : 0,
    avgReturnPct: mean * 100,
    avgHoldCandles: n > 0 ? hold / n : 0,
    exitsByType,
    partialFills: partials,
  };
}
