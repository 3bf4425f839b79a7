// The leader records the candles of every symbol with an open position (market_candle), so the
// dashboard's position page can draw them without the web process ever asking the exchange. A
// symbol seen for the first time gets a back-fill; afterwards a few recent candles per interval
// (the last one still forming is overwritten until it closes). One candles request per open
// symbol per interval: little request weight.
import type pg from "pg";
import type { Candle } from "../../src/core/market/types";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";

export const CHART_TIMEFRAME = "5m";

export interface CandleRecorderDeps {
  pool: pg.Pool;
  port: Pick<ExchangePort, "fetchCandles">;
  log: Logger;
  openSymbols: () => string[];
  isLeader: () => boolean;
  intervalMs?: number;
  backfill?: number;
}

export async function upsertCandles(pool: pg.Pool, symbol: string, timeframe: string, candles: readonly Candle[]): Promise<void> {
  if (candles.length === 0) return;
  await pool.query(
    `INSERT INTO market_candle (symbol, timeframe, open_time, open, high, low, close, volume)
     SELECT $1, $2, to_timestamp(t / 1000.0), o, h, l, c, v
       FROM unnest($3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[]) AS x(t, o, h, l, c, v)
     ON CONFLICT (symbol, timeframe, open_time) DO UPDATE
       SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume`,
    [symbol, timeframe, candles.map((c) => c.openTime), candles.map((c) => c.open), candles.map((c) => c.high), candles.map((c) => c.low), candles.map((c) => c.close), candles.map((c) => c.volume)],
  );
}

export async function recordCandlesOnce(d: CandleRecorderDeps, seen: Set<string>): Promise<number> {
  let written = 0;
  for (const symbol of d.openSymbols()) {
    const n = seen.has(symbol) ? 3 : (d.backfill ?? 500);
    const candles = await d.port.fetchCandles(symbol, CHART_TIMEFRAME, n);
    await upsertCandles(d.pool, symbol, CHART_TIMEFRAME, candles);
    seen.add(symbol);
    written += candles.length;
  }
  return written;
}

export function startCandleRecorder(d: CandleRecorderDeps): { stop(): Promise<void> } {
  const seen = new Set<string>();
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped || !d.isLeader()) return;
    running = recordCandlesOnce(d, seen)
      .catch((err: unknown) => d.log.warn({ err: err instanceof Error ? err.message : String(err) }, "[WORKER] recording position candles failed; next interval retries"))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, d.intervalMs ?? 30_000);
  const first = setTimeout(tick, 2_000);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
