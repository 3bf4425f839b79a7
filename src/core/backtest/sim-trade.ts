// One simulated position on the backtest "exchange": its fills, resting stop and take-profit
// orders, and the conservative intrabar rules (a gap fills a stop at the open; when a candle
// touches both the stop and a target, the stop is assumed first). Take-profits are
// TAKE_PROFIT_MARKET orders by default: taker fee and slippage, exactly like stops.
import type { Candle, PositionSnapshot, Side } from "../market/types";
import type { CloseType, FillConfig, TradeResult } from "./types";

export interface RestingTarget {
  price: number;
  /** quantity in units of the original size (1 = whole position) */
  qty: number;
}

export interface SimTrade<S> {
  readonly entryIndex: number;
  readonly side: Side;
  readonly sign: 1 | -1;
  /** fill price including slippage */
  readonly entryPrice: number;
  readonly liquidationPrice: number;
  /** open quantity, units of the original size */
  remaining: number;
  /** realised net return so far, fraction of entry notional */
  realized: number;
  stop: number; // NaN = no stop
  stopType: CloseType;
  targets: RestingTarget[];
  targetsFilled: number;
  initialRisk: number;
  partialFills: number;
  closeType: CloseType | null;
  exitIndex: number;
  /** what the policy sees; owned by this trade and updated in place each candle */
  readonly position: PositionSnapshot;
  state: S;
}

const EPS = 1e-9;

export function openTrade<S>(index: number, side: Side, candle: Candle, openTime: number, cfg: FillConfig, state: S): SimTrade<S> {
  const sign = side === "long" ? 1 : -1;
  const entryPrice = candle.close * (1 + (sign * cfg.slippagePct) / 100);
  const mm = cfg.maintenanceMarginPct / 100;
  const liquidationPrice = entryPrice * (1 - sign * (1 / cfg.leverage - mm));
  return {
    entryIndex: index,
    side,
    sign,
    entryPrice,
    liquidationPrice,
    remaining: 1,
    realized: -cfg.takerFeePct / 100,
    stop: Number.NaN,
    stopType: "STOP_LOSS",
    targets: [],
    targetsFilled: 0,
    initialRisk: Number.NaN,
    partialFills: 0,
    closeType: null,
    exitIndex: -1,
    position: {
      symbol: "BACKTEST",
      side,
      size: 1,
      entryPrice,
      markPrice: candle.close,
      leverage: cfg.leverage,
      liquidationPrice,
      unrealizedPnl: 0,
      openedAt: openTime,
    },
    state,
  };
}

/** Books a fill of `qty` at `price` (already including slippage) with fee `feePct`. */
function fill<S>(t: SimTrade<S>, qty: number, price: number, feePct: number, index: number, type: CloseType | null): void {
  const q = Math.min(qty, t.remaining);
  t.realized += (q * t.sign * (price - t.entryPrice)) / t.entryPrice - (q * (feePct / 100) * price) / t.entryPrice;
  t.remaining -= q;
  if (t.remaining <= EPS) {
    t.remaining = 0;
    t.closeType = type ?? "TAKE_PROFIT";
    t.exitIndex = index;
  } else {
    t.partialFills++;
  }
}

export function setStop<S>(t: SimTrade<S>, price: number, type: CloseType): void {
  t.stop = price;
  t.stopType = type;
  if (Number.isNaN(t.initialRisk)) t.initialRisk = Math.abs(t.entryPrice - price) / t.entryPrice;
}

/** Replaces the resting targets; fractions are of the current open quantity. */
export function setTargets<S>(t: SimTrade<S>, targets: readonly { price: number; fraction: number }[]): void {
  const next: RestingTarget[] = [];
  for (const x of targets) next.push({ price: x.price, qty: x.fraction * t.remaining });
  next.sort((a, b) => t.sign * (a.price - b.price)); // nearest first
  t.targets = next;
}

/** Market close of `fraction` of the open quantity at `price` (before slippage). */
export function marketClose<S>(t: SimTrade<S>, fraction: number, price: number, index: number, type: CloseType, cfg: FillConfig): void {
  const px = price * (1 - (t.sign * cfg.slippagePct) / 100);
  fill(t, fraction >= 1 ? t.remaining : fraction * t.remaining, px, cfg.takerFeePct, index, type);
}

/** Resting orders against one candle. Returns true if the trade closed. */
export function processIntrabar<S>(t: SimTrade<S>, c: Candle, index: number, cfg: FillConfig): boolean {
  const sign = t.sign;
  const adverse = sign === 1 ? c.low : c.high;
  const favorable = sign === 1 ? c.high : c.low;
  const hasStop = !Number.isNaN(t.stop);
  // Liquidation first, when no stop sits between the price and the liquidation level.
  if ((!hasStop || sign * (t.stop - t.liquidationPrice) <= 0) && sign * (adverse - t.liquidationPrice) <= 0) {
    fill(t, t.remaining, t.liquidationPrice, cfg.takerFeePct, index, "LIQUIDATION");
    return true;
  }
  if (hasStop && sign * (adverse - t.stop) <= 0) {
    const trigger = sign * (c.open - t.stop) <= 0 ? c.open : t.stop; // gapped through: fills at the open
    fill(t, t.remaining, trigger * (1 - (sign * cfg.slippagePct) / 100), cfg.takerFeePct, index, t.stopType);
    return true;
  }
  const limit = cfg.takeProfitOrder === "limit";
  while (t.targets.length > 0) {
    const tg = t.targets[0]!;
    if (sign * (favorable - tg.price) < 0) break;
    t.targets.shift();
    if (limit) fill(t, tg.qty, tg.price, cfg.makerFeePct, index, "TAKE_PROFIT");
    else {
      // TAKE_PROFIT_MARKET: a market order once triggered, like the stops (taker + slippage);
      // a gap through the trigger fills at the open.
      const trigger = sign * (c.open - tg.price) >= 0 ? c.open : tg.price;
      fill(t, tg.qty, trigger * (1 - (sign * cfg.slippagePct) / 100), cfg.takerFeePct, index, "TAKE_PROFIT");
    }
    if (t.closeType !== null) return true;
    t.targetsFilled++;
  }
  return false;
}

/** Refreshes the policy's view of the position at a candle close. */
export function markPosition<S>(t: SimTrade<S>, close: number): void {
  const p = t.position;
  p.markPrice = close;
  p.size = t.remaining;
  p.unrealizedPnl = (t.remaining * t.sign * (close - t.entryPrice)) / t.entryPrice;
}

export function toTradeResult<S>(t: SimTrade<S>): TradeResult {
  return {
    entryIndex: t.entryIndex,
    exitIndex: t.exitIndex,
    side: t.side,
    ret: t.realized,
    initialRisk: t.initialRisk,
    closeType: t.closeType ?? "END_OF_DATA",
    partialFills: t.partialFills,
  };
}
