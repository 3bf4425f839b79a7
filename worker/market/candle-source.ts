// Recent candles per symbol for indicators (ATR, ...). Two ways:
//  - with a kline stream (issue 14): the first request of a symbol reads its closed candles over
//    REST (backfill) and subscribes its kline stream; each closed candle the stream delivers is
//    appended. After a reconnection of the stream (candles may have closed meanwhile) or a gap in
//    the sequence, the next request backfills over REST again. While the stream is down, the
//    candles are re-read over REST when a new one should have closed, as without a stream.
//  - without: fetched through the port and cached until a new candle should have opened.
// Either way a reader gets the same array until a candle is added, so it can cache what it
// computed from it.
import type { Candle, Clock } from "../../src/core/market/types";
import type { ExchangePort } from "../exchange/exchange-port";
import type { KlineStream } from "./kline-stream";

const TIMEFRAME_MS: Record<string, number> = {
  "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000,
};
/** closed candles kept per series (the executor asks for ATR period × 3 + 2) */
const KEEP = 500;

interface Entry {
  candles: Candle[];
  /** refetch at or after this time */
  staleAt: number;
}

interface Series {
  /** closed candles, oldest first */
  closed: Candle[];
  /** the stream may have missed candles: read them over REST on the next request */
  backfill: boolean;
  /** the array last handed out per limit (same array until a candle is added) */
  served: Map<number, Candle[]>;
  /** while the stream is down: re-read at or after this time */
  staleAt: number;
  /** the most candles a backfill asked for (the venue may have fewer) */
  asked: number;
}

type Stream = Pick<KlineStream, "subscribe" | "on" | "connected">;

export class CandleSource {
  private readonly cache = new Map<string, Entry>();
  private readonly series = new Map<string, Series>();
  private readonly backfilling = new Map<string, Promise<Series>>();

  constructor(
    private readonly port: Pick<ExchangePort, "fetchCandles">,
    private readonly clock: Clock,
    private readonly stream: Stream | null = null,
  ) {
    stream?.on("closed", (symbol, interval, candle) => this.onClosed(symbol, interval, candle));
    // Reconnected: candles may have closed while the socket was down.
    stream?.on("connected", () => {
      for (const s of this.series.values()) s.backfill = true;
    });
  }

  /**
   * The last `limit` candles, oldest first. Without a stream the newest may still be open; with
   * one, all are closed.
   */
  async recent(symbol: string, timeframe: string, limit: number): Promise<Candle[]> {
    const intervalMs = TIMEFRAME_MS[timeframe];
    if (!intervalMs) throw new Error(`timeframe ${timeframe} is not supported; use one of ${Object.keys(TIMEFRAME_MS).join(", ")}`);
    if (this.stream) return this.fromStream(symbol, timeframe, intervalMs, limit);
    const key = `${symbol}|${timeframe}|${limit}`;
    const hit = this.cache.get(key);
    const now = this.clock.now();
    if (hit && now < hit.staleAt) return hit.candles;
    const candles = await this.port.fetchCandles(symbol, timeframe, limit);
    const newest = candles.at(-1)?.openTime ?? now;
    this.cache.set(key, { candles, staleAt: Math.max(now + 1000, newest + intervalMs) });
    return candles;
  }

  private async fromStream(symbol: string, timeframe: string, intervalMs: number, limit: number): Promise<Candle[]> {
    const key = `${symbol}|${timeframe}`;
    let s = this.series.get(key);
    const now = this.clock.now();
    const downAndStale = s !== undefined && !this.stream!.connected() && now >= s.staleAt;
    if (!s || s.backfill || downAndStale || limit > s.asked) s = await this.backfill(key, symbol, timeframe, intervalMs, Math.max(limit, s?.asked ?? 0));
    const served = s.served.get(limit);
    if (served) return served;
    const out = s.closed.slice(-limit);
    s.served.set(limit, out);
    return out;
  }

  /** REST: the last `limit` closed candles (Binance's klines end with the open one, dropped here). */
  private backfill(key: string, symbol: string, timeframe: string, intervalMs: number, limit: number): Promise<Series> {
    const running = this.backfilling.get(key);
    if (running) return running;
    const job = (async () => {
      this.stream!.subscribe(symbol, timeframe); // first, so no candle closes between the read and the subscription unseen
      const rows = await this.port.fetchCandles(symbol, timeframe, Math.min(KEEP, limit) + 1);
      const closed = rows.slice(0, -1);
      const prev = this.series.get(key);
      // Keep stream candles newer than the read (they arrived while it was out).
      const newest = closed.at(-1)?.openTime ?? -Infinity;
      const later = prev?.closed.filter((c) => c.openTime > newest) ?? [];
      const s: Series = { closed: [...closed, ...later].slice(-KEEP), backfill: false, served: new Map(), staleAt: this.clock.now() + intervalMs, asked: limit };
      this.series.set(key, s);
      return s;
    })().finally(() => this.backfilling.delete(key));
    this.backfilling.set(key, job);
    return job;
  }

  private onClosed(symbol: string, timeframe: string, candle: Candle): void {
    const s = this.series.get(`${symbol}|${timeframe}`);
    if (!s) return;
    const intervalMs = TIMEFRAME_MS[timeframe] ?? 0;
    const last = s.closed.at(-1);
    if (last && candle.openTime <= last.openTime) return; // already have it (from the backfill)
    if (last && candle.openTime !== last.openTime + intervalMs) s.backfill = true; // a hole: read it over REST
    s.closed = [...s.closed, candle].slice(-KEEP);
    s.served = new Map();
  }
}
