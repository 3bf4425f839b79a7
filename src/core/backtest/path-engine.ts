// The path evaluator: one pass over the candles' intrabar paths (price-path.ts). At every path
// point, each open trade's resting orders are checked, then the policy is consulted as live
// consults it on a tick. Entries fill at the close point of their candle. The market snapshot
// (ATR, last closes) is the closed-candle one by default; `atr: "forming"` adds the still-open
// candle as seen so far, which is what the executor's candle source returns today.
import { createMarketSnapshot, updateMarketSnapshot, type MarketSnapshot } from "../exit-brain/market-snapshot";
import type { Candle, PositionSnapshot } from "../market/types";
import { FUNDING_PERIOD_MS, fundingRateAt, slippageFraction, type CostModel } from "./cost-model";
import { markPathPosition, openPathTrade, payFunding, restingAt, restingBand, type PathTrade } from "./path-trade";
import type { PricePath } from "./price-path";
import type { CloseType, Entry } from "./types";

export type AtrSource = "closed" | "forming";

export interface PathContext {
  readonly bar: number;
  /** raw path price at this point */
  readonly price: number;
  readonly time: number;
  /** slippage fraction for a market fill now */
  readonly slip: number;
  readonly market: MarketSnapshot;
  readonly cost: CostModel;
}

export interface PathPolicy<S> {
  readonly name: string;
  readonly atrPeriod: number;
  /** false = onTick only needs to run after a resting order filled partly (no market view) */
  readonly tickDriven: boolean;
  /** overrides the run's ATR source for this policy (e.g. "forming" = as the executor reads candles today) */
  readonly atr?: AtrSource;
  init(position: PositionSnapshot, ctx: PathContext): S;
  /** at the entry fill (the entry candle's close point) */
  onEntry(t: PathTrade<S>, ctx: PathContext): void;
  /** at every later path point while open, after the resting orders were checked */
  onTick(t: PathTrade<S>, ctx: PathContext): void;
  /**
   * Prices (strictly inside lo..hi, before `until`, while the market snapshot is `key`, null =
   * any) at which onTick would change nothing for this trade now; null = none known. Lets the
   * engine skip such points; it must be exact (path-engine.test.ts runs with and without it).
   */
  holdBand?(t: PathTrade<S>, market: MarketSnapshot): { lo: number; hi: number; until: number; key: unknown } | null;
}

export interface PathTradeResult {
  readonly entryBar: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly side: "long" | "short";
  /** net return on the entry notional: fees, slippage and funding included */
  readonly net: number;
  /** the same fills at raw path prices, no cost (the zero-cost control) */
  readonly gross: number;
  readonly initialRisk: number;
  /** max favourable raw excursion while open */
  readonly mfe: number;
  readonly closeType: CloseType;
  readonly partialFills: number;
  readonly holdBars: number;
}

export interface PathBacktestInput {
  readonly candles: readonly Candle[];
  readonly path: PricePath;
  /** sorted by index */
  readonly entries: readonly Entry[];
  readonly intervalMs: number;
  readonly cost: CostModel;
  readonly atr?: AtrSource;
  /** skip path points inside a trade's quiet band (default true; false = check every point) */
  readonly fastPath?: boolean;
}

function setQuiet<S>(t: PathTrade<S>, policy: PathPolicy<S>, market: MarketSnapshot): void {
  const [lo, hi] = restingBand(t);
  if (!policy.tickDriven) {
    t.quietLo = lo;
    t.quietHi = hi;
    t.quietUntil = Number.POSITIVE_INFINITY;
    t.quietKey = null;
    return;
  }
  const b = policy.holdBand?.(t, market) ?? null;
  if (!b) {
    t.quietUntil = Number.NEGATIVE_INFINITY;
    return;
  }
  t.quietLo = Math.max(lo, b.lo);
  t.quietHi = Math.min(hi, b.hi);
  t.quietUntil = b.until;
  t.quietKey = b.key;
}

function result<S>(t: PathTrade<S>): PathTradeResult {
  return {
    entryBar: t.entryBar,
    entryTime: t.entryTime,
    exitTime: t.exitTime,
    side: t.side,
    net: t.net,
    gross: t.gross,
    initialRisk: t.initialRisk,
    mfe: t.mfe,
    closeType: t.closeType ?? "END_OF_DATA",
    partialFills: t.partialFills,
    holdBars: t.exitBar - t.entryBar,
  };
}

/** Results in entry order (the entries' order), one per entry. */
export function runPathBacktest<S>(input: PathBacktestInput, policy: PathPolicy<S>): PathTradeResult[] {
  const { candles, path, entries, intervalMs, cost } = input;
  const forming = (policy.atr ?? input.atr) === "forming";
  const fast = input.fastPath ?? true;
  const n = candles.length;
  const out: (PathTradeResult | null)[] = entries.map(() => null);
  const open: { t: PathTrade<S>; k: number }[] = [];
  let closed = createMarketSnapshot(policy.atrPeriod);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const c = candles[i]!;
    const slip = slippageFraction(cost, c.high, c.low, c.close);
    const closeTime = c.openTime + intervalMs;
    if (open.length > 0) {
      const p0 = path.barStart[i]!;
      const p1 = path.barStart[i + 1]!;
      let hi = -Infinity;
      let lo = Infinity;
      for (let p = p0; p < p1; p++) {
        const price = path.prices[p]!;
        const time = path.times[p]!;
        let market = closed;
        if (forming && policy.tickDriven) {
          if (price > hi) hi = price;
          if (price < lo) lo = price;
          market = updateMarketSnapshot(closed, { openTime: c.openTime, open: c.open, high: hi, low: lo, close: price, volume: 0 });
        }
        const ctx: PathContext = { bar: i, price, time, slip, market, cost };
        for (let j = 0; j < open.length; ) {
          const o = open[j]!;
          const t = o.t;
          if (fast && price > t.quietLo && price < t.quietHi && time < t.quietUntil && (t.quietKey === null || t.quietKey === market)) {
            j++;
            continue;
          }
          const filledBefore = t.targetsFilled;
          if (!restingAt(t, price, slip, cost, i, time) && (policy.tickDriven || t.targetsFilled !== filledBefore)) policy.onTick(t, ctx);
          if (t.closeType !== null) {
            out[o.k] = result(t);
            open[j] = open[open.length - 1]!;
            open.pop();
          } else {
            if (fast) setQuiet(t, policy, market);
            j++;
          }
        }
        if (open.length === 0) break;
      }
      // Funding settles at every 8 h mark inside this candle, on what is still open.
      if (Math.floor(closeTime / FUNDING_PERIOD_MS) > Math.floor(c.openTime / FUNDING_PERIOD_MS)) {
        const rate = fundingRateAt(cost, closeTime);
        if (rate !== 0) for (const o of open) payFunding(o.t, rate, c.close);
      }
    }
    closed = updateMarketSnapshot(closed, c);
    while (e < entries.length && entries[e]!.index <= i) {
      const k = e++;
      const entry = entries[k]!;
      if (entry.index < i) continue; // entries must be sorted; a stale one is skipped
      const ctx: PathContext = { bar: i, price: c.close, time: closeTime, slip, market: closed, cost };
      const t = openPathTrade<S>(i, closeTime, entry.side, c.close, slip, cost, undefined as S);
      t.state = policy.init(t.position, ctx);
      markPathPosition(t, c.close);
      policy.onEntry(t, ctx);
      if (t.closeType !== null) out[k] = result(t);
      else {
        // the entry's own snapshot includes this candle; the next candle's points see the same object
        if (fast) setQuiet(t, policy, closed);
        open.push({ t, k });
      }
    }
  }
  if (n > 0) {
    const last = candles[n - 1]!;
    const slip = slippageFraction(cost, last.high, last.low, last.close);
    for (const o of open) {
      const t = o.t;
      const q = t.remaining;
      const px = last.close * (1 - t.sign * slip);
      t.net += (q * t.sign * (px - t.entryPrice)) / t.entryPrice - (q * (cost.takerFeePct / 100) * px) / t.entryPrice;
      t.gross += (q * t.sign * (last.close - t.rawEntry)) / t.rawEntry;
      t.remaining = 0;
      t.closeType = "END_OF_DATA";
      t.exitBar = n - 1;
      t.exitTime = last.openTime + intervalMs;
      out[o.k] = result(t);
    }
  }
  return out.filter((r): r is PathTradeResult => r !== null);
}
