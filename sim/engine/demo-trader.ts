// Opens positions on a seeded schedule (random symbol, side, size, leverage) straight into the
// engine, not through the API, so a default start always has positions for the worker to manage.
import type { Clock } from "../../src/core/market/types";
import type { MatchingEngine } from "./matching-engine";
import { roundToStep } from "./market-spec";
import { createRng, pick, type Rng } from "./rng";
import { SimApiError } from "./sim-error";

export interface DemoTraderOptions {
  seed: number;
  /** mean virtual time between attempts */
  intervalMs: number;
  maxPositions: number;
  minNotional: number;
  maxNotional: number;
  leverages: readonly number[];
}

export const DEFAULT_DEMO_TRADER: Omit<DemoTraderOptions, "seed"> = {
  intervalMs: 15 * 60_000,
  maxPositions: 3,
  minNotional: 300,
  maxNotional: 2_000,
  leverages: [5, 10, 20],
};

export interface DemoTrade {
  symbol: string;
  side: "BUY" | "SELL";
  qty: number;
  leverage: number;
}

export class DemoTrader {
  private readonly rng: Rng;
  private nextAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly engine: MatchingEngine,
    private readonly symbols: readonly string[],
    private readonly priceOf: (symbol: string) => number,
    private readonly opts: DemoTraderOptions,
  ) {
    this.rng = createRng(opts.seed);
    this.nextAt = clock.now(); // first trade at once
  }

  /** Runs every attempt that is due by now; returns the trades it made. */
  poll(): DemoTrade[] {
    const made: DemoTrade[] = [];
    while (this.nextAt <= this.clock.now()) {
      const trade = this.attempt();
      if (trade) made.push(trade);
      this.nextAt += this.opts.intervalMs * (0.5 + this.rng.next());
    }
    return made;
  }

  private attempt(): DemoTrade | null {
    const flat = this.symbols.filter((s) => this.engine.book.amt(s) === 0);
    const open = this.symbols.length - flat.length;
    // Draw every random number first so the schedule does not depend on what happens next.
    const symbol = flat.length > 0 ? pick(this.rng, flat) : null;
    const side = this.rng.next() < 0.5 ? "BUY" : "SELL";
    const notional = this.opts.minNotional + this.rng.next() * (this.opts.maxNotional - this.opts.minNotional);
    const leverage = pick(this.rng, this.opts.leverages);
    if (!symbol || open >= this.opts.maxPositions) return null;
    const spec = this.engine.spec(symbol);
    const qty = roundToStep(Math.max(spec.minQty, Math.floor(notional / this.priceOf(symbol) / spec.stepSize) * spec.stepSize), spec.stepSize);
    try {
      this.engine.setLeverage(symbol, Math.min(leverage, spec.maxLeverage));
      this.engine.submit({ symbol, side, type: "MARKET", quantity: qty, source: "demo" });
      return { symbol, side, qty, leverage };
    } catch (err) {
      if (err instanceof SimApiError) return null; // e.g. margin used up: try again later
      throw err;
    }
  }
}
