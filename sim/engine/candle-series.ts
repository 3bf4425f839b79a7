// Endless candle sequences by index: a replay of real candles (looped, each loop rescaled so the
// price is continuous) or a seeded random walk. Index k is the k-th candle since the series origin.
import type { Candle } from "../../src/core/market/types";
import { createRng, normal, type Rng } from "./rng";

export interface CandleSeries {
  readonly symbol: string;
  readonly intervalMs: number;
  /** OHLCV of candle k (k ≥ 0); openTime is left to the caller (it is origin + k·interval). */
  candle(k: number): Candle;
}

export class ReplaySeries implements CandleSeries {
  private readonly loopFactor: number;
  constructor(
    readonly symbol: string,
    readonly intervalMs: number,
    private readonly data: readonly Candle[],
  ) {
    if (data.length < 2) throw new Error(`${symbol}: a replay needs at least 2 candles, got ${data.length}`);
    this.loopFactor = data[data.length - 1]!.close / data[0]!.open;
  }
  get length(): number {
    return this.data.length;
  }
  candle(k: number): Candle {
    const n = this.data.length;
    const loop = Math.floor(k / n);
    const c = this.data[((k % n) + n) % n]!;
    const f = this.loopFactor ** loop;
    return { openTime: c.openTime, open: c.open * f, high: c.high * f, low: c.low * f, close: c.close * f, volume: c.volume };
  }
}

export class RandomWalkSeries implements CandleSeries {
  private readonly rng: Rng;
  private readonly made: Candle[] = [];
  constructor(
    readonly symbol: string,
    readonly intervalMs: number,
    private readonly startPrice: number,
    seed: number,
    /** standard deviation of the log return per candle */
    private readonly sigma = 0.003,
  ) {
    this.rng = createRng(seed);
  }
  candle(k: number): Candle {
    while (this.made.length <= k) this.made.push(this.nextCandle());
    return this.made[k]!;
  }
  private nextCandle(): Candle {
    const open = this.made.at(-1)?.close ?? this.startPrice;
    const close = open * Math.exp(this.sigma * normal(this.rng));
    const high = Math.max(open, close) * Math.exp(Math.abs(this.sigma * normal(this.rng)) * 0.5);
    const low = Math.min(open, close) * Math.exp(-Math.abs(this.sigma * normal(this.rng)) * 0.5);
    const volume = Math.round(1000 * (0.5 + this.rng.next()));
    return { openTime: 0, open, high, low, close, volume };
  }
}

/** Start prices for the random walk of well-known symbols; others start at 100. */
export const RANDOM_WALK_START: Record<string, number> = {
  BTCUSDT: 60_000,
  ETHUSDT: 3_000,
  SOLUSDT: 150,
  XRPUSDT: 0.6,
};
