// Per-position memory of the Exit Brain: best price since entry, current stop and target,
// partials taken. Immutable: every update returns a new object (or the same one when nothing
// changed, so the hot path allocates only on change). The executor applies a decision only
// once it was carried out (LIVE) or recorded as if carried out (SHADOW's virtual book).
import type { Candle, PositionSnapshot, Side } from "../market/types";
import type { Decision, SlReason } from "./decision";

export interface BrainState {
  readonly side: Side;
  readonly entryPrice: number;
  /** epoch ms the position opened (or was first seen, when the exchange does not say) */
  readonly openedAt: number;
  /** highest price since entry for a long, lowest for a short */
  readonly bestPrice: number;
  /** current stop, null = the position has none */
  readonly stopPrice: number | null;
  readonly slReason: SlReason | null;
  readonly takeProfitPrice: number | null;
  /** |entry - initial stop| in price units: the "R" unit; 0 until a loss-side stop is known */
  readonly riskPerUnit: number;
  /** ladder steps taken */
  readonly partialsTaken: number;
  readonly closed: boolean;
}

export interface ExistingOrders {
  stopPrice?: number | null;
  takeProfitPrice?: number | null;
}

/** Fresh state for a position; pass the stop/target already on the exchange when taking over. */
export function createBrainState(position: PositionSnapshot, now: number, existing: ExistingOrders = {}): BrainState {
  const stop = existing.stopPrice ?? null;
  const sign = position.side === "long" ? 1 : -1;
  const lossSide = stop !== null && sign * (position.entryPrice - stop) > 0;
  return {
    side: position.side,
    entryPrice: position.entryPrice,
    openedAt: position.openedAt ?? now,
    bestPrice: position.side === "long" ? Math.max(position.entryPrice, position.markPrice) : Math.min(position.entryPrice, position.markPrice),
    stopPrice: stop,
    slReason: stop === null ? null : lossSide ? "initial" : "breakeven",
    takeProfitPrice: existing.takeProfitPrice ?? null,
    riskPerUnit: lossSide ? Math.abs(position.entryPrice - stop) : 0,
    partialsTaken: 0,
    closed: false,
  };
}

/** Records a traded range (e.g. a candle's high/low, or high = low = mark). */
export function observePrice(state: BrainState, high: number, low: number): BrainState {
  if (state.side === "long") return high > state.bestPrice ? { ...state, bestPrice: high } : state;
  return low < state.bestPrice ? { ...state, bestPrice: low } : state;
}

export function observeCandle(state: BrainState, candle: Candle): BrainState {
  return observePrice(state, candle.high, candle.low);
}

/** True when `candidate` is strictly better for the position than `current` (null = none). */
export function improvesStop(side: Side, current: number | null, candidate: number): boolean {
  if (current === null) return true;
  return side === "long" ? candidate > current : candidate < current;
}

/** The state after a decision was carried out. A stop is never moved against the position. */
export function applyDecision(state: BrainState, d: Decision): BrainState {
  switch (d.type) {
    case "hold":
      return state;
    case "move_sl": {
      if (!improvesStop(state.side, state.stopPrice, d.newSl)) return state;
      const firstRisk = state.riskPerUnit === 0 && d.slReason === "initial" ? Math.abs(state.entryPrice - d.newSl) : state.riskPerUnit;
      return { ...state, stopPrice: d.newSl, slReason: d.slReason, riskPerUnit: firstRisk };
    }
    case "set_tp":
      return { ...state, takeProfitPrice: d.newTp };
    case "partial_close":
      return d.fraction >= 1 ? { ...state, partialsTaken: state.partialsTaken + 1, closed: true } : { ...state, partialsTaken: state.partialsTaken + 1 };
    case "full_exit_now":
      return { ...state, closed: true };
  }
}
