// The kline market stream (<symbol>@kline_<interval>), as Binance sends it: the open candle on
// every update (k.x false) and, when a candle closes, its final values once with k.x true, before
// the next candle's first update. The simulator's clock can jump (admin clock/step): every candle
// that closed in the jump is sent, oldest first (at most MAX_CLOSED of them).
import type { Simulator } from "../engine/simulator";
import { KLINE_INTERVALS } from "./request-schemas";

const MAX_CLOSED = 100;
const num = (v: number): string => String(Number(v.toPrecision(12)));

export interface KlineStream {
  symbol: string;
  interval: string;
  intervalMs: number;
}

/** btcusdt@kline_5m → its parts; null when the name is not a kline stream this simulator can serve. */
export function parseKlineStream(sim: Simulator, stream: string): KlineStream | null {
  const m = /^([a-z0-9]+)@kline_([0-9]+[mhd])$/.exec(stream);
  if (!m) return null;
  const symbol = m[1]!.toUpperCase();
  const intervalMs = KLINE_INTERVALS[m[2]!];
  if (intervalMs === undefined || !sim.feed.has(symbol) || intervalMs % sim.feed.intervalMs(symbol) !== 0) return null;
  return { symbol, interval: m[2]!, intervalMs };
}

/**
 * The messages to send now, given the open time of the candle last sent on this stream (null:
 * nothing sent yet, the open candle only), and the open time to remember.
 */
export function klineMessages(sim: Simulator, k: KlineStream, lastOpenSent: number | null): { texts: string[]; openTime: number } {
  const now = sim.clock.now();
  const behind = lastOpenSent === null ? 0 : Math.floor((now - lastOpenSent) / k.intervalMs);
  const opts = lastOpenSent !== null && behind < MAX_CLOSED ? { startTime: lastOpenSent, limit: MAX_CLOSED + 1 } : { limit: lastOpenSent === null ? 1 : MAX_CLOSED + 1 };
  const candles = sim.feed.klines(k.symbol, k.intervalMs, opts);
  const open = candles.at(-1);
  if (!open) return { texts: [], openTime: lastOpenSent ?? 0 };
  const texts = candles.map((c) => {
    const closed = c !== open;
    return JSON.stringify({
      e: "kline", E: now, s: k.symbol,
      k: {
        t: c.openTime, T: c.openTime + k.intervalMs - 1, s: k.symbol, i: k.interval, f: 0, L: 0,
        o: num(c.open), c: num(c.close), h: num(c.high), l: num(c.low), v: num(c.volume), n: 1, x: closed,
        q: num(c.volume * c.close), V: "0", Q: "0", B: "0",
      },
    });
  });
  return { texts, openTime: open.openTime };
}
