// Exit at once when the mark gets close to the liquidation price: a market close loses less
// than a liquidation (fees + the whole margin). "Close" = within liqBufferPct of the mark or
// liqBufferAtr x ATR, whichever is wider.
import type { PositionSnapshot } from "../market/types";
import { clamp01, type FullExitDecision } from "./decision";
import type { MarketSnapshot } from "./market-snapshot";
import type { ExitBrainParams } from "./params";
import { liquidationExitReason } from "./reason-text";

export function liquidationGuardRule(
  pos: PositionSnapshot,
  market: MarketSnapshot,
  p: ExitBrainParams,
  pnl: number,
): FullExitDecision | null {
  const liq = pos.liquidationPrice;
  if (liq === null || !(liq > 0)) return null;
  const sign = pos.side === "long" ? 1 : -1;
  const distancePct = ((sign * (pos.markPrice - liq)) / pos.markPrice) * 100;
  const atrPct = Number.isFinite(market.atr) ? (market.atr / pos.markPrice) * 100 : 0;
  const buffer = Math.max(p.liqBufferPct, p.liqBufferAtr * atrPct);
  if (distancePct > buffer) return null;
  const closeness = buffer > 0 ? 1 - Math.max(0, distancePct) / buffer : 1;
  return {
    type: "full_exit_now",
    exitReason: "liquidation",
    confidence: clamp01(0.9 + 0.1 * closeness),
    reason: liquidationExitReason(pnl, distancePct),
  };
}
