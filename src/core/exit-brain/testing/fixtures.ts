// Builders for tests: a position, a market snapshot with a given ATR, parameters.
import type { PositionSnapshot, Side } from "../../market/types";
import { createBrainState, type BrainState } from "../brain-state";
import type { MarketSnapshot } from "../market-snapshot";
import { defaultExitBrainParams, parseExitBrainParams, type ExitBrainParams } from "../params";

export const T0 = 1_700_000_000_000;

export function position(side: Side, entryPrice: number, markPrice: number, extra: Partial<PositionSnapshot> = {}): PositionSnapshot {
  return { symbol: "BTCUSDT", side, size: 1.5, entryPrice, markPrice, leverage: 10, liquidationPrice: null, unrealizedPnl: 0, openedAt: T0, ...extra };
}

export function market(atr: number, lastClose = 100, prevClose = 100): MarketSnapshot {
  return { atr, runningAtr: atr, lastClose, prevClose, count: 100, period: 14 };
}

export function params(overrides: Record<string, unknown> = {}): ExitBrainParams {
  return Object.keys(overrides).length === 0 ? defaultExitBrainParams : parseExitBrainParams({ ...defaultExitBrainParams, ...overrides });
}

/** A state with a stop already set (initial, risk = entry - stop). */
export function stateWithStop(pos: PositionSnapshot, stop: number, extra: Partial<BrainState> = {}): BrainState {
  return { ...createBrainState(pos, T0, { stopPrice: stop }), ...extra };
}
