// The executor's input checks: a position or candles with broken numbers throw, so that one
// position's evaluation fails (logged, counted) instead of a decision on garbage.
import type { Candle, PositionSnapshot } from "../../src/core/market/types";

export function checkPosition(p: PositionSnapshot): void {
  if (!(p.size > 0) || !(p.entryPrice > 0) || !(p.markPrice > 0) || !Number.isFinite(p.size + p.entryPrice + p.markPrice)) {
    throw new Error(`position ${p.symbol} has broken data (size=${p.size}, entry=${p.entryPrice}, mark=${p.markPrice})`);
  }
}

export function checkCandles(symbol: string, candles: readonly Candle[]): void {
  for (const c of candles) {
    if (![c.open, c.high, c.low, c.close].every((x) => Number.isFinite(x) && x > 0) || c.high < c.low) {
      throw new Error(`candles for ${symbol} are broken at ${c.openTime} (o=${c.open} h=${c.high} l=${c.low} c=${c.close})`);
    }
  }
}
