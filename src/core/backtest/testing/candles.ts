// Hand-built candle series for engine tests.
import type { Candle } from "../../market/types";

export const MIN = 60_000;

/** `n` quiet candles around `price` (range +-0.5), then the given [open, high, low, close] rows. */
export function series(n: number, price: number, rows: readonly (readonly [number, number, number, number])[]): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < n; i++) out.push({ openTime: i * MIN, open: price, high: price + 0.5, low: price - 0.5, close: price, volume: 1 });
  rows.forEach(([o, h, l, c], k) => out.push({ openTime: (n + k) * MIN, open: o, high: h, low: l, close: c, volume: 1 }));
  return out;
}
