// For each open position: is it protected by an exchange-side stop, and does the account hold
// both a LONG and a SHORT on the same symbol (the runbook's "dual position" bug)?
import type { OrderSide } from "../gateway/exit-order-request";
import { closingSide } from "../gateway/exit-order-request";
import type { PositionSnapshot, Side } from "../market/types";
import { stillProtects, type AlgoLifecycle } from "../watchdog/stop-lifecycle";

export interface OpenExitOrder extends AlgoLifecycle {
  symbol: string;
  side: OrderSide;
  /** MARKET, STOP_MARKET, TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET, LIMIT, ... */
  type: string;
  reduceOnly: boolean;
  closePosition: boolean;
  stopPrice: number | null;
  /** hedge-mode accounts name the position side; one-way accounts do not */
  positionSide?: Side | null;
}

export interface PositionSafety {
  symbol: string;
  side: Side;
  protected: boolean;
  dualPosition: boolean;
  stopPrice: number | null;
  takeProfitPrice: number | null;
}

const STOP_TYPES = new Set(["STOP_MARKET", "STOP", "TRAILING_STOP_MARKET"]);
const TP_TYPES = new Set(["TAKE_PROFIT_MARKET", "TAKE_PROFIT"]);

function closes(o: OpenExitOrder, p: PositionSnapshot): boolean {
  if (o.symbol !== p.symbol || o.side !== closingSide(p.side)) return false;
  if (o.positionSide && o.positionSide !== p.side) return false;
  return o.reduceOnly || o.closePosition;
}

/**
 * `now` (ms, the clock of the orders' triggeringSince): a conditional order that has been
 * TRIGGERING/TRIGGERED for longer than a few seconds, or has ended (FINISHED, CANCELED, EXPIRED,
 * REJECTED), no longer protects (src/core/watchdog/stop-lifecycle.ts). Without `now` a firing
 * stop counts only when the time it started firing is known.
 */
export function assessPositionSafety(positions: readonly PositionSnapshot[], orders: readonly OpenExitOrder[], now?: number): PositionSafety[] {
  const working = orders.filter((o) => stillProtects(o, now ?? o.triggeringSince ?? 0));
  const sides = new Map<string, Set<Side>>();
  for (const p of positions) {
    if (p.size <= 0) continue;
    const s = sides.get(p.symbol) ?? new Set<Side>();
    s.add(p.side);
    sides.set(p.symbol, s);
  }
  return positions
    .filter((p) => p.size > 0)
    .map((p) => {
      const mine = working.filter((o) => closes(o, p));
      // The stop nearest the mark is the one that fires first.
      const stops = mine.filter((o) => STOP_TYPES.has(o.type)).map((o) => o.stopPrice).filter((x): x is number => x !== null);
      const tps = mine.filter((o) => TP_TYPES.has(o.type)).map((o) => o.stopPrice).filter((x): x is number => x !== null);
      const nearest = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => (Math.abs(b - p.markPrice) < Math.abs(a - p.markPrice) ? b : a)));
      const hasTrailing = mine.some((o) => o.type === "TRAILING_STOP_MARKET");
      return {
        symbol: p.symbol,
        side: p.side,
        protected: stops.length > 0 || hasTrailing,
        dualPosition: (sides.get(p.symbol)?.size ?? 0) > 1,
        stopPrice: nearest(stops),
        takeProfitPrice: nearest(tps),
      };
    });
}
