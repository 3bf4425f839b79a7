// One simulated position in the path evaluator. Every fill happens at a path point: resting
// orders trigger at the first point at or past their trigger and fill there (a stop at the worse
// of trigger and point price; a TAKE_PROFIT_MARKET is a market order once triggered, so at the
// point), market closes fill at the point the policy decided on. Each fill books two returns:
// `net` (fee, slippage, funding) and `gross` (the raw path prices, no cost at all), so the
// zero-cost control comes from the very same run.
import type { PositionSnapshot, Side } from "../market/types";
import type { CostModel } from "./cost-model";
import type { CloseType } from "./types";

export interface PathTarget {
  readonly price: number;
  /** quantity in units of the original size */
  readonly qty: number;
}

export interface PathTrade<S> {
  readonly entryBar: number;
  readonly entryTime: number;
  readonly side: Side;
  readonly sign: 1 | -1;
  /** raw path price at entry (no slippage) */
  readonly rawEntry: number;
  /** fill price including slippage (what the exchange reports and the policy sees) */
  readonly entryPrice: number;
  readonly liquidationPrice: number;
  remaining: number;
  net: number;
  gross: number;
  stop: number; // NaN = none
  stopType: CloseType;
  targets: PathTarget[];
  targetsFilled: number;
  /** |entry - first stop| / entry; NaN until a stop is set */
  initialRisk: number;
  partialFills: number;
  /** best raw return seen while open (max favourable excursion) */
  mfe: number;
  /** best raw price seen while open (long: the highest, short: the lowest) */
  bestRaw: number;
  /**
   * Quiet band (engine fast path): while the price stays strictly inside (quietLo, quietHi),
   * the time is before quietUntil and the market snapshot is quietKey (null = any), a path
   * point changes nothing for this trade: no resting order triggers, no new best price, and the
   * policy would hold. Set by the engine from the resting orders and the policy's own band.
   */
  quietLo: number;
  quietHi: number;
  quietUntil: number;
  quietKey: unknown;
  closeType: CloseType | null;
  exitBar: number;
  exitTime: number;
  readonly position: PositionSnapshot;
  state: S;
}

const EPS = 1e-9;

export function openPathTrade<S>(bar: number, time: number, side: Side, rawPrice: number, slip: number, cost: CostModel, state: S): PathTrade<S> {
  const sign = side === "long" ? 1 : -1;
  const entryPrice = rawPrice * (1 + sign * slip);
  const mm = cost.maintenanceMarginPct / 100;
  const liquidationPrice = entryPrice * (1 - sign * (1 / cost.leverage - mm));
  return {
    entryBar: bar,
    entryTime: time,
    side,
    sign,
    rawEntry: rawPrice,
    entryPrice,
    liquidationPrice,
    remaining: 1,
    net: -cost.takerFeePct / 100,
    gross: 0,
    stop: Number.NaN,
    stopType: "STOP_LOSS",
    targets: [],
    targetsFilled: 0,
    initialRisk: Number.NaN,
    partialFills: 0,
    mfe: 0,
    bestRaw: rawPrice,
    quietLo: Number.NaN,
    quietHi: Number.NaN,
    quietUntil: Number.NEGATIVE_INFINITY,
    quietKey: null,
    closeType: null,
    exitBar: -1,
    exitTime: Number.NaN,
    position: { symbol: "BACKTEST", side, size: 1, entryPrice, markPrice: rawPrice, leverage: cost.leverage, liquidationPrice, unrealizedPnl: 0, openedAt: time },
    state,
  };
}

/** Books a fill of `qty` at raw price `raw` with slippage fraction `slip`. */
export function fillAt<S>(t: PathTrade<S>, qty: number, raw: number, slip: number, cost: CostModel, bar: number, time: number, type: CloseType): void {
  const q = Math.min(qty, t.remaining);
  if (q <= 0) return;
  const px = raw * (1 - t.sign * slip);
  t.net += (q * t.sign * (px - t.entryPrice)) / t.entryPrice - (q * (cost.takerFeePct / 100) * px) / t.entryPrice;
  t.gross += (q * t.sign * (raw - t.rawEntry)) / t.rawEntry;
  t.remaining -= q;
  if (t.remaining <= EPS) {
    t.remaining = 0;
    t.closeType = type;
    t.exitBar = bar;
    t.exitTime = time;
  } else t.partialFills++;
}

/** Funding settlement on the open quantity at mark `raw` (positive rate: longs pay). */
export function payFunding<S>(t: PathTrade<S>, rate: number, raw: number): void {
  t.net -= (t.sign * rate * t.remaining * raw) / t.entryPrice;
}

export function setPathStop<S>(t: PathTrade<S>, price: number, type: CloseType): void {
  t.stop = price;
  t.stopType = type;
  if (Number.isNaN(t.initialRisk)) t.initialRisk = Math.abs(t.entryPrice - price) / t.entryPrice;
}

/** Replaces the resting take-profits; fractions are of the current open quantity. */
export function setPathTargets<S>(t: PathTrade<S>, targets: readonly { price: number; fraction: number }[]): void {
  const next = targets.map((x) => ({ price: x.price, qty: x.fraction * t.remaining }));
  next.sort((a, b) => t.sign * (a.price - b.price)); // nearest first
  t.targets = next;
}

/** Market close of `fraction` of the open quantity at the point price `raw`. */
export function marketCloseAt<S>(t: PathTrade<S>, fraction: number, raw: number, slip: number, cost: CostModel, bar: number, time: number, type: CloseType): void {
  fillAt(t, fraction >= 1 ? t.remaining : fraction * t.remaining, raw, slip, cost, bar, time, type);
}

/** Resting orders against one path point. Returns true if the trade closed. */
export function restingAt<S>(t: PathTrade<S>, raw: number, slip: number, cost: CostModel, bar: number, time: number): boolean {
  const sign = t.sign;
  if (sign * (raw - t.bestRaw) > 0) {
    t.bestRaw = raw;
    t.mfe = (sign * (raw - t.rawEntry)) / t.rawEntry;
  }
  const hasStop = !Number.isNaN(t.stop);
  if ((!hasStop || sign * (t.stop - t.liquidationPrice) <= 0) && sign * (raw - t.liquidationPrice) <= 0) {
    // Liquidated: at the worse of the liquidation price and the point.
    const px = sign === 1 ? Math.min(raw, t.liquidationPrice) : Math.max(raw, t.liquidationPrice);
    fillAt(t, t.remaining, px, slip, cost, bar, time, "LIQUIDATION");
    return true;
  }
  if (hasStop && sign * (raw - t.stop) <= 0) {
    const px = sign === 1 ? Math.min(raw, t.stop) : Math.max(raw, t.stop);
    fillAt(t, t.remaining, px, slip, cost, bar, time, t.stopType);
    return true;
  }
  while (t.targets.length > 0) {
    const tg = t.targets[0]!;
    if (sign * (raw - tg.price) < 0) break;
    t.targets.shift();
    fillAt(t, tg.qty, raw, slip, cost, bar, time, "TAKE_PROFIT");
    if (t.closeType !== null) return true;
    t.targetsFilled++;
  }
  return false;
}

export function markPathPosition<S>(t: PathTrade<S>, raw: number): void {
  const p = t.position;
  p.markPrice = raw;
  p.size = t.remaining;
  p.unrealizedPnl = (t.remaining * t.sign * (raw - t.entryPrice)) / t.entryPrice;
}

/** The band of prices in which no resting order of `t` triggers and its best price stays (see quietLo). */
export function restingBand<S>(t: PathTrade<S>): [number, number] {
  const stop = Number.isNaN(t.stop) ? null : t.stop;
  const tp = t.targets[0]?.price ?? null;
  if (t.sign === 1) return [Math.max(stop ?? -Infinity, t.liquidationPrice), Math.min(tp ?? Infinity, t.bestRaw)];
  return [Math.max(tp ?? -Infinity, t.bestRaw), Math.min(stop ?? Infinity, t.liquidationPrice)];
}
