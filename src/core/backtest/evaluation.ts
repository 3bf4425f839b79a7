// A whole evaluation run over file parts: every policy on the same seeded entries, on each
// part's intrabar path, with each entry's regime and time block kept next to its results so
// the comparison can pair them up. Pure: the caller loads the candles.
import type { Candle } from "../market/types";
import type { CostModel } from "./cost-model";
import { randomEntries } from "./entries";
import { runPathBacktest, type AtrSource, type PathPolicy, type PathTradeResult } from "./path-engine";
import { buildPricePath, type FinerCandles } from "./price-path";
import { candleLogVol, regimeAt, type Regime } from "./regime";

export interface EvalPart {
  readonly name: string;
  readonly candles: readonly Candle[];
  readonly intervalMs: number;
  /** finer candles of the same market covering (some of) this part */
  readonly finer?: FinerCandles;
}

export interface EvalConfig {
  readonly seeds: readonly number[];
  readonly entriesPerSeed: number;
  readonly cost: CostModel;
  /** OHLC path model: the largest step between two path points, percent of price */
  readonly maxStepPct: number;
  /** first candle an entry may take (indicators warm) */
  readonly warmup: number;
  readonly atr: AtrSource;
}

export interface EvalEntry {
  readonly seed: number;
  readonly bar: number;
  readonly time: number;
  readonly regime: Regime;
  /** time block for the paired test: the UTC day of the entry */
  readonly block: number;
}

export interface PartRun {
  readonly name: string;
  readonly candles: number;
  readonly finerBars: number;
  readonly entries: readonly EvalEntry[];
  /** per policy key, aligned with `entries` */
  readonly results: Readonly<Record<string, readonly PathTradeResult[]>>;
}

const DAY_MS = 86_400_000;

export type AnyPathPolicy = PathPolicy<never>;

/** Erases a policy's state type so policies of different states fit one map. */
export function anyPolicy<S>(p: PathPolicy<S>): AnyPathPolicy {
  return p as unknown as AnyPathPolicy;
}

export function runPart(part: EvalPart, policies: Readonly<Record<string, AnyPathPolicy>>, cfg: EvalConfig): PartRun {
  const path = buildPricePath(part.candles, part.intervalMs, cfg.maxStepPct, part.finer);
  const sigma = candleLogVol(part.candles);
  const entries: EvalEntry[] = [];
  const results: Record<string, PathTradeResult[]> = Object.fromEntries(Object.keys(policies).map((k) => [k, []]));
  for (const seed of cfg.seeds) {
    const es = randomEntries(cfg.entriesPerSeed, part.candles.length, seed, cfg.warmup);
    const input = { candles: part.candles, path, entries: es, intervalMs: part.intervalMs, cost: cfg.cost, atr: cfg.atr };
    let count = -1;
    for (const [key, policy] of Object.entries(policies)) {
      const rs = runPathBacktest(input, policy);
      if (count >= 0 && rs.length !== count) throw new Error(`${part.name}: policy ${key} closed ${rs.length} trades, others ${count}; entries must pair up`);
      count = rs.length;
      results[key]!.push(...rs);
    }
    const first = results[Object.keys(policies)[0]!]!;
    for (let i = first.length - count; i < first.length; i++) {
      const r = first[i]!;
      entries.push({ seed, bar: r.entryBar, time: r.entryTime, regime: regimeAt(part.candles, r.entryBar, part.intervalMs, sigma), block: Math.floor(r.entryTime / DAY_MS) });
    }
  }
  return { name: part.name, candles: part.candles.length, finerBars: path.finerBars, entries, results };
}
