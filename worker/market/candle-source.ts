// Recent candles per symbol for indicators (ATR, ...): fetched through the port and cached until
// a new candle should have opened, so many readers per cycle cost one request per interval.
import type { Candle, Clock } from "../../src/core/market/types";
import type { ExchangePort } from "../exchange/exchange-port";

const TIMEFRAME_MS: Record<string, number> = {
  "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000,
};

interface Entry {
  candles: Candle[];
  /** refetch at or after this time */
  staleAt: number;
}

export class CandleSource {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly port: Pick<ExchangePort, "fetchCandles">,
    private readonly clock: Clock,
  ) {}

  /** The last `limit` candles (the newest may still be open), oldest first. */
  async recent(symbol: string, timeframe: string, limit: number): Promise<Candle[]> {
    const intervalMs = TIMEFRAME_MS[timeframe];
    if (!intervalMs) throw new Error(`timeframe ${timeframe} is not supported; use one of ${Object.keys(TIMEFRAME_MS).join(", ")}`);
    const key = `${symbol}|${timeframe}|${limit}`;
    const hit = this.cache.get(key);
    const now = this.clock.now();
    if (hit && now < hit.staleAt) return hit.candles;
    const candles = await this.port.fetchCandles(symbol, timeframe, limit);
    const newest = candles.at(-1)?.openTime ?? now;
    this.cache.set(key, { candles, staleAt: Math.max(now + 1000, newest + intervalMs) });
    return candles;
  }
}
