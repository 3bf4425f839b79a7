// The market snapshot (ATR and the rest) per symbol, computed once per new candle: the candle
// source returns the same array until a candle closes, so an unchanged array is a cache hit.
import { marketSnapshotFromCandles, type MarketSnapshot } from "../../src/core/exit-brain";
import type { Candle } from "../../src/core/market/types";
import type { CandleSource } from "../market/candle-source";
import { checkCandles } from "./check-inputs";
import type { ExecutorConfig } from "./executor-config";

export class MarketCache {
  private readonly markets = new Map<string, { candles: readonly Candle[]; market: MarketSnapshot }>();

  constructor(
    private readonly candles: Pick<CandleSource, "recent">,
    private readonly config: Pick<ExecutorConfig, "timeframe" | "params">,
  ) {}

  async marketFor(symbol: string): Promise<MarketSnapshot> {
    const { timeframe, params } = this.config;
    const candles = await this.candles.recent(symbol, timeframe, params.atrPeriod * 3 + 2);
    const hit = this.markets.get(symbol);
    if (hit && hit.candles === candles) return hit.market;
    checkCandles(symbol, candles);
    const market = marketSnapshotFromCandles(candles, params.atrPeriod);
    this.markets.set(symbol, { candles, market });
    return market;
  }
}
