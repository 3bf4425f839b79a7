// The simulator without any I/O: virtual clock, price feed, matching engine and demo trader,
// wired so that advancing the clock moves prices, fires conditional orders and lets the demo
// trader act. The HTTP/WS servers and the admin API drive this object.
import { RandomWalkSeries, RANDOM_WALK_START, ReplaySeries, type CandleSeries } from "./candle-series";
import { DemoTrader, DEFAULT_DEMO_TRADER, type DemoTraderOptions } from "./demo-trader";
import { DEFAULT_CANDLE_FILES, loadReplaySeries } from "./load-replay-series";
import { marketSpecFor, type MarketSpec } from "./market-spec";
import { DEFAULT_ENGINE_CONFIG, MatchingEngine, type EngineConfig } from "./matching-engine";
import { PriceFeed } from "./price-feed";
import { SimClock } from "./sim-clock";

export interface SimulatorOptions {
  /** candle CSV files to replay (default: the sample in sim/data) */
  candleFiles?: string[];
  /** seeded random walk instead of candles */
  randomWalk?: { symbols: string[]; intervalMs: number } | null;
  seed?: number;
  /** virtual start time, epoch ms (default: the wall clock) */
  startTime?: number;
  /** candles of history before the start, for klines (default 300) */
  history?: number;
  demoTrader?: Partial<Omit<DemoTraderOptions, "seed">> | false;
  engine?: Partial<EngineConfig>;
}

export class Simulator {
  readonly clock: SimClock;
  readonly feed: PriceFeed;
  readonly engine: MatchingEngine;
  readonly specs = new Map<string, MarketSpec>();
  readonly trader: DemoTrader | null;
  private readonly tickListeners = new Set<() => void>();

  constructor(opts: SimulatorOptions = {}) {
    const seed = opts.seed ?? 1;
    this.clock = new SimClock(opts.startTime ?? Date.now());
    this.feed = new PriceFeed(this.clock);
    const series: CandleSeries[] = opts.randomWalk
      ? opts.randomWalk.symbols.map(
          (s, i) => new RandomWalkSeries(s, opts.randomWalk!.intervalMs, RANDOM_WALK_START[s] ?? 100, seed * 1000 + i),
        )
      : (opts.candleFiles?.length ? opts.candleFiles : DEFAULT_CANDLE_FILES).map(loadReplaySeries);
    const history = opts.history ?? 300;
    for (const s of series) {
      if (this.specs.has(s.symbol)) throw new Error(`symbol ${s.symbol} given twice; one candle file per symbol`);
      const startIndex = s instanceof ReplaySeries ? Math.min(history, Math.max(0, s.length - 2)) : history;
      const spec = marketSpecFor(s.symbol, s.candle(startIndex).open);
      this.specs.set(s.symbol, spec);
      this.feed.add(s, spec.tickSize, startIndex);
    }
    this.engine = new MatchingEngine(this.clock, this.specs, (s) => this.feed.price(s), { ...DEFAULT_ENGINE_CONFIG, ...opts.engine });
    this.trader =
      opts.demoTrader === false
        ? null
        : new DemoTrader(this.clock, this.engine, this.feed.symbols(), (s) => this.feed.price(s), {
            ...DEFAULT_DEMO_TRADER,
            ...opts.demoTrader,
            seed,
          });
    for (const s of this.feed.symbols()) this.engine.onPricePath(s, [this.feed.price(s)]);
    this.trader?.poll();
  }

  symbols(): string[] {
    return this.feed.symbols();
  }

  /** Moves virtual time forward; prices move along their path and everything crossed fires. */
  advance(ms: number): void {
    const from = this.clock.now();
    this.clock.advance(ms);
    for (const s of this.feed.symbols()) this.engine.onPricePath(s, this.feed.pathPrices(s, from, this.clock.now()));
    this.trader?.poll();
    for (const l of this.tickListeners) l();
  }

  /** Jumps the price of one symbol (admin API): a gap, so stops fill at the new price. */
  setPrice(symbol: string, price: number): void {
    this.feed.setPrice(symbol, price);
    this.engine.onPricePath(symbol, [this.feed.price(symbol)], true);
    for (const l of this.tickListeners) l();
  }

  onTick(listener: () => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }
}
