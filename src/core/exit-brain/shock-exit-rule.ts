// Exit at once after a shock: one candle moving against the position by at least
// shockAtrMult x ATR and shockMinPct. Such moves tend to continue (cascading liquidations),
// and the stop may be far or already gapped through. The ATR multiple is per candle (a candle
// against the typical candle); the percentage floor is for the reference interval and grows
// with sqrt(interval / reference), so 1h candles need a proportionally larger move than 5m.
import type { PositionSnapshot } from "../market/types";
import { clamp01, type FullExitDecision } from "./decision";
import { intervalScale, type MarketSnapshot } from "./market-snapshot";
import type { ExitBrainParams } from "./params";
import { shockExitReason } from "./reason-text";

export function shockExitRule(pos: PositionSnapshot, market: MarketSnapshot, p: ExitBrainParams, pnl: number): FullExitDecision | null {
  const { atr, lastClose, prevClose } = market;
  if (!(atr > 0) || !(prevClose > 0) || !Number.isFinite(lastClose)) return null;
  const adverse = pos.side === "long" ? prevClose - lastClose : lastClose - prevClose;
  if (adverse <= 0) return null;
  const atrMultiple = adverse / atr;
  const movePct = (adverse / prevClose) * 100;
  if (atrMultiple < p.shockAtrMult || movePct < p.shockMinPct * intervalScale(market, p.volRefIntervalMs)) return null;
  return {
    type: "full_exit_now",
    exitReason: "shock",
    confidence: clamp01(0.8 + 0.2 * (atrMultiple / p.shockAtrMult - 1)),
    reason: shockExitReason(pnl, movePct, atrMultiple),
  };
}
