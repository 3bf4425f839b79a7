// Market and position shapes shared by the Exit Brain policy, the legacy rules, the gateway,
// the backtester and the worker. Times are epoch milliseconds; prices and sizes are numbers in
// the instrument's quote/base units.

export type Side = "long" | "short";

export interface Candle {
  /** open time, epoch ms */
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface PositionSnapshot {
  symbol: string; // exchange id, e.g. BTCUSDT
  side: Side;
  /** absolute contract size in base units, > 0 */
  size: number;
  entryPrice: number;
  markPrice: number;
  leverage: number;
  liquidationPrice: number | null;
  unrealizedPnl: number;
  /** epoch ms, when known */
  openedAt: number | null;
}

/** Injected time source: src/core never reads the wall clock itself. */
export interface Clock {
  now(): number;
}

/** Signed return of a position in percent of entry (long: up is profit). */
export function pnlPct(side: Side, entryPrice: number, price: number): number {
  const change = (price - entryPrice) / entryPrice;
  return (side === "long" ? change : -change) * 100;
}
