// Positions per symbol and position side, and the USDT wallet: fills change size, entry and
// realised PnL. One-way mode keeps one BOTH position per symbol; hedge mode a LONG and a SHORT.
// Pure bookkeeping: no clock, no prices of its own (callers pass the mark price).
import type { MarketSpec } from "./market-spec";
import type { PositionSide } from "./order-types";

export interface Position {
  symbol: string;
  positionSide: PositionSide;
  /** signed: > 0 long, < 0 short (a SHORT hedge position is negative, as Binance reports it) */
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
    for (const p of this.ofSymbol(symbol)) p.leverage = leverage;
  }

  get(symbol: string, side: PositionSide = "BOTH"): Position | undefined {
    return this.positions.get(key(symbol, side));
  }

  /** signed size, 0 when flat */
  amt(symbol: string, side: PositionSide = "BOTH"): number {
    return this.positions.get(key(symbol, side))?.amt ?? 0;
  }

  all(): Position[] {
    return [...this.positions.values()];
  }

  ofSymbol(symbol: string): Position[] {
    return this.all().filter((p) => p.symbol === symbol);
  }

  /** Applies a fill of signed quantity `delta` at `price`, paying `fee`. */
  apply(symbol: string, delta: number, price: number, fee: number, now: number, side: PositionSide = "BOTH"): FillResult {
    const k = key(symbol, side);
    const p = this.positions.get(k);
    const before = p?.amt ?? 0;
    const after = round(before + delta);
    let realizedPnl = 0;
    if (!p || Math.abs(before) < EPS) {
      this.positions.set(k, { symbol, positionSide: side, amt: after, entryPrice: price, leverage: this.leverage(symbol), openedAt: now, updateTime: now });
    } else if (Math.sign(delta) === Math.sign(before)) {
      p.entryPrice = (p.entryPrice * Math.abs(before) + price * Math.abs(delta)) / Math.abs(after);
      p.amt = after;
      p.updateTime = now;
    } else {
      const closed = Math.min(Math.abs(delta), Math.abs(before));
      realizedPnl = (price - p.entryPrice) * closed * Math.sign(before);
      p.amt = after;
      p.updateTime = now;
      if (Math.abs(after) < EPS) this.positions.delete(k);
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

function key(symbol: string, side: PositionSide): string {
  return `${symbol}|${side}`;
}

function round(v: number): number {
  return Number(v.toPrecision(12));
}
