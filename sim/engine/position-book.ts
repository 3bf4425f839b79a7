// One-way positions per symbol and the USDT wallet: fills change size, entry and realised PnL.
// Pure bookkeeping: no clock, no prices of its own (callers pass the mark price).
import type { MarketSpec } from "./market-spec";

export interface Position {
  symbol: string;
  /** signed: > 0 long, < 0 short */
  amt: number;
  entryPrice: number;
  leverage: number;
  openedAt: number;
  updateTime: number;
}

export interface FillResult {
  realizedPnl: number;
  /** size before and after, signed */
  before: number;
  after: number;
}

const EPS = 1e-12;

export class PositionBook {
  private readonly positions = new Map<string, Position>();
  private readonly leverages = new Map<string, number>();
  walletBalance: number;

  constructor(
    startingBalance: number,
    private readonly defaultLeverage: number,
  ) {
    this.walletBalance = startingBalance;
  }

  leverage(symbol: string): number {
    return this.leverages.get(symbol) ?? this.defaultLeverage;
  }

  setLeverage(symbol: string, leverage: number): void {
    this.leverages.set(symbol, leverage);
    const p = this.positions.get(symbol);
    if (p) p.leverage = leverage;
  }

  get(symbol: string): Position | undefined {
    return this.positions.get(symbol);
  }

  /** signed size, 0 when flat */
  amt(symbol: string): number {
    return this.positions.get(symbol)?.amt ?? 0;
  }

  all(): Position[] {
    return [...this.positions.values()];
  }

  /** Applies a fill of signed quantity `delta` at `price`, paying `fee`. */
  apply(symbol: string, delta: number, price: number, fee: number, now: number): FillResult {
    const p = this.positions.get(symbol);
    const before = p?.amt ?? 0;
    const after = round(before + delta);
    let realizedPnl = 0;
    if (!p || Math.abs(before) < EPS) {
      this.positions.set(symbol, { symbol, amt: after, entryPrice: price, leverage: this.leverage(symbol), openedAt: now, updateTime: now });
    } else if (Math.sign(delta) === Math.sign(before)) {
      p.entryPrice = (p.entryPrice * Math.abs(before) + price * Math.abs(delta)) / Math.abs(after);
      p.amt = after;
      p.updateTime = now;
    } else {
      const closed = Math.min(Math.abs(delta), Math.abs(before));
      realizedPnl = (price - p.entryPrice) * closed * Math.sign(before);
      p.amt = after;
      p.updateTime = now;
      if (Math.abs(after) < EPS) this.positions.delete(symbol);
      else if (Math.sign(after) !== Math.sign(before)) {
        p.entryPrice = price;
        p.openedAt = now;
      }
    }
    this.walletBalance += realizedPnl - fee;
    return { realizedPnl, before, after };
  }

  unrealizedPnl(p: Position, mark: number): number {
    return (mark - p.entryPrice) * p.amt;
  }

  initialMargin(p: Position, mark: number): number {
    return (Math.abs(p.amt) * mark) / p.leverage;
  }

  /** Simplified isolated-style estimate: where the position's margin is used up. */
  liquidationPrice(p: Position, spec: MarketSpec): number {
    const m = 1 / p.leverage - spec.maintMarginRatio;
    return p.amt > 0 ? p.entryPrice * (1 - m) : p.entryPrice * (1 + m);
  }

  totals(markOf: (symbol: string) => number): { unrealized: number; initialMargin: number; available: number } {
    let unrealized = 0;
    let initialMargin = 0;
    for (const p of this.positions.values()) {
      const mark = markOf(p.symbol);
      unrealized += this.unrealizedPnl(p, mark);
      initialMargin += this.initialMargin(p, mark);
    }
    return { unrealized, initialMargin, available: this.walletBalance + unrealized - initialMargin };
  }
}

function round(v: number): number {
  return Number(v.toPrecision(12));
}
