// Prices over virtual time. Candle k of a symbol spans [origin + k·I, origin + (k+1)·I); inside a
// candle the price walks open → low → high → close (bullish) or open → high → low → close
// (bearish) in three straight segments, so stops placed inside the candle's range are crossed.
import type { Candle, Clock } from "../../src/core/market/types";
import type { CandleSeries } from "./candle-series";
import { roundToStep } from "./market-spec";

interface Track {
  series: CandleSeries;
  origin: number;
  tick: number;
  /** multiplier set by the admin "set price" call */
  factor: number;
}

export interface Stats24h {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  openTime: number;
}

export class PriceFeed {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly clock: Clock) {}

  /** Adds a symbol whose candle `startIndex` is the one open at the clock's current time. */
  add(series: CandleSeries, tickSize: number, startIndex: number): void {
    const I = series.intervalMs;
    const origin = Math.floor(this.clock.now() / I) * I - startIndex * I;
    this.tracks.set(series.symbol, { series, origin, tick: tickSize, factor: 1 });
  }

  symbols(): string[] {
    return [...this.tracks.keys()];
  }

  has(symbol: string): boolean {
    return this.tracks.has(symbol);
  }

  intervalMs(symbol: string): number {
    return this.track(symbol).series.intervalMs;
  }

  price(symbol: string, at = this.clock.now()): number {
    const t = this.track(symbol);
    return roundToStep(this.rawPrice(t, at) * t.factor, t.tick);
  }

  /** Prices at every path corner in (from, to], then at `to`: enough to detect any crossing. */
  pathPrices(symbol: string, from: number, to: number): number[] {
    const t = this.track(symbol);
    const I = t.series.intervalMs;
    const out: number[] = [];
    const third = I / 3;
    let corner = t.origin + Math.floor((from - t.origin) / third + 1) * third;
    for (; corner < to; corner += third) out.push(this.price(symbol, corner));
    out.push(this.price(symbol, to));
    return out;
  }

  /** Moves the whole series so that the price now is `price` (admin API). */
  setPrice(symbol: string, price: number): void {
    if (!(price > 0)) throw new RangeError(`price must be > 0, got ${price}`);
    const t = this.track(symbol);
    t.factor = price / this.rawPrice(t, this.clock.now());
  }

  /** Candles of `intervalMs` (a multiple of the native interval) ending with the open one. */
  klines(symbol: string, intervalMs: number, opts: { startTime?: number; endTime?: number; limit: number }): Candle[] {
    const t = this.track(symbol);
    const I = t.series.intervalMs;
    if (intervalMs % I !== 0) throw new RangeError(`interval ${intervalMs} ms is not a multiple of ${I} ms`);
    const now = this.clock.now();
    const end = Math.min(opts.endTime ?? now, now);
    const per = intervalMs / I;
    const lastK = Math.floor((end - t.origin) / intervalMs);
    let firstK = lastK - opts.limit + 1;
    if (opts.startTime !== undefined) firstK = Math.ceil((opts.startTime - t.origin) / intervalMs);
    firstK = Math.max(firstK, 0);
    const out: Candle[] = [];
    for (let k = firstK; k <= lastK && out.length < opts.limit; k++) {
      const candle = this.aggregate(t, k * per, per, now);
      if (candle) out.push(candle);
    }
    return out;
  }

  stats24h(symbol: string): Stats24h {
    const t = this.track(symbol);
    const n = Math.max(1, Math.round(86_400_000 / t.series.intervalMs));
    const c = this.aggregate(t, Math.max(0, this.currentIndex(t) - n + 1), n, this.clock.now());
    if (!c) throw new Error(`${symbol}: no candles yet`);
    return { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, quoteVolume: c.volume * c.close, openTime: c.openTime };
  }

  private aggregate(t: Track, fromK: number, count: number, now: number): Candle | null {
    const currentK = this.currentIndex(t);
    const parts: Candle[] = [];
    for (let k = fromK; k < fromK + count && k <= currentK; k++) {
      parts.push(k === currentK ? this.partial(t, k, now) : this.scaled(t, k));
    }
    const first = parts[0];
    const last = parts.at(-1);
    if (!first || !last) return null;
    return {
      openTime: first.openTime,
      open: first.open,
      high: Math.max(...parts.map((p) => p.high)),
      low: Math.min(...parts.map((p) => p.low)),
      close: last.close,
      volume: parts.reduce((sum, p) => sum + p.volume, 0),
    };
  }

  private currentIndex(t: Track): number {
    return Math.floor((this.clock.now() - t.origin) / t.series.intervalMs);
  }

  private scaled(t: Track, k: number): Candle {
    const c = t.series.candle(k);
    const r = (v: number) => roundToStep(v * t.factor, t.tick);
    return { openTime: t.origin + k * t.series.intervalMs, open: r(c.open), high: r(c.high), low: r(c.low), close: r(c.close), volume: c.volume };
  }

  /** The open candle as seen at `now`: high/low so far along the path, close = current price. */
  private partial(t: Track, k: number, now: number): Candle {
    const I = t.series.intervalMs;
    const start = t.origin + k * I;
    const f = (now - start) / I;
    const samples = [0, 1 / 3, 2 / 3].filter((x) => x <= f).map((x) => this.rawPrice(t, start + x * I));
    samples.push(this.rawPrice(t, now));
    const r = (v: number) => roundToStep(v * t.factor, t.tick);
    const volume = t.series.candle(k).volume * Math.min(1, f);
    return { openTime: start, open: r(samples[0]!), high: r(Math.max(...samples)), low: r(Math.min(...samples)), close: r(samples.at(-1)!), volume };
  }

  private rawPrice(t: Track, at: number): number {
    const I = t.series.intervalMs;
    const k = Math.max(0, Math.floor((at - t.origin) / I));
    const c = t.series.candle(k);
    const f = Math.min(1, Math.max(0, (at - t.origin - k * I) / I));
    const path = c.close >= c.open ? [c.open, c.low, c.high, c.close] : [c.open, c.high, c.low, c.close];
    const seg = Math.min(2, Math.floor(f * 3));
    const local = f * 3 - seg;
    return path[seg]! + (path[seg + 1]! - path[seg]!) * local;
  }

  private track(symbol: string): Track {
    const t = this.tracks.get(symbol);
    if (!t) throw new RangeError(`unknown symbol ${symbol}; known: ${this.symbols().join(", ")}`);
    return t;
  }
}
