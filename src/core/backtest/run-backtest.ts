// The backtest engine: one pass over the candles, resting orders checked intrabar, the policy
// consulted at each close, entries filled at their candle's close. The same engine runs any
// policy; callers run it once per policy with the same entries.
import { createMarketSnapshot, updateMarketSnapshot } from "../exit-brain/market-snapshot";
import type { Candle } from "../market/types";
import { computeMetrics } from "./metrics";
import type { BacktestPolicy, PolicyContext } from "./policy";
import { markPosition, marketClose, openTrade, processIntrabar, toTradeResult, type SimTrade } from "./sim-trade";
import type { Entry, FillConfig, PolicyMetrics, TradeResult } from "./types";

export interface BacktestInput {
  readonly candles: readonly Candle[];
  /** sorted by index */
  readonly entries: readonly Entry[];
  readonly intervalMs: number;
  readonly cfg: FillConfig;
  /** called every few thousand candles with (candles done, total) */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BacktestResult {
  readonly metrics: PolicyMetrics;
  readonly trades: readonly TradeResult[];
}

const PROGRESS_EVERY = 8192;

export function runBacktest<S>(input: BacktestInput, policy: BacktestPolicy<S>): BacktestResult {
  const { candles, entries, intervalMs, cfg, onProgress } = input;
  const n = candles.length;
  const closed: TradeResult[] = [];
  const open: SimTrade<S>[] = [];
  let market = createMarketSnapshot(policy.atrPeriod);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const candle = candles[i]!;
    market = updateMarketSnapshot(market, candle);
    const ctx: PolicyContext = { candle, index: i, market, now: candle.openTime + intervalMs, cfg };
    for (let j = 0; j < open.length; ) {
      const t = open[j]!;
      if (!processIntrabar(t, candle, i, cfg)) policy.onClose(t, ctx, false);
      if (t.closeType !== null) {
        closed.push(toTradeResult(t));
        open[j] = open[open.length - 1]!; // swap-remove: order of the open list does not matter
        open.pop();
      } else j++;
    }
    while (e < entries.length && entries[e]!.index <= i) {
      const entry = entries[e++]!;
      if (entry.index < i) continue; // entries must be sorted; a stale one is skipped
      const t = openTrade<S>(i, entry.side, candle, ctx.now, cfg, undefined as S);
      t.state = policy.init(t.position, ctx);
      policy.onClose(t, ctx, true);
      if (t.closeType !== null) closed.push(toTradeResult(t));
      else open.push(t);
    }
    if (onProgress && (i + 1) % PROGRESS_EVERY === 0) onProgress(i + 1, n);
  }
  if (n > 0) {
    const last = candles[n - 1]!;
    // Deterministic order for the trades still open at the end: by entry.
    open.sort((a, b) => a.entryIndex - b.entryIndex);
    for (const t of open) {
      markPosition(t, last.close);
      marketClose(t, 1, last.close, n - 1, "END_OF_DATA", cfg);
      closed.push(toTradeResult(t));
    }
  }
  onProgress?.(n, n);
  return { metrics: computeMetrics(policy.name, closed, cfg.stakeFraction), trades: closed };
}
