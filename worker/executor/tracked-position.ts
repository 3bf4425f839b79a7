// What the executor remembers about one open position between evaluations: its identity, the
// brain state (virtual in SHADOW, real in LIVE), its own orders, and what the shadow-vs-legacy
// comparison needs once it closes (decisions, size drops, last mark, resting legacy exits).
import type { BrainState } from "../../src/core/exit-brain";
import type { PositionSnapshot, Side } from "../../src/core/market/types";
import { positionKeyOf, type ExecutorMode, type LoggedDecision, type ObservedReduction, type RestingExit } from "../../src/core/decisions";
import type { PositionExitOrders } from "./exit-orders-of";
import type { OwnOrders } from "./plan-live-actions";

export interface TrackedPosition {
  readonly key: string;
  readonly symbol: string;
  readonly side: Side;
  readonly openedAt: number;
  entryPrice: number;
  leverage: number;
  /** largest size seen: the base of the reduction fractions */
  maxSize: number;
  lastSize: number;
  lastMark: number;
  lastSeenAt: number;
  reductions: ObservedReduction[];
  /** resting exit orders at the last sighting (legacy stops / take-profits) */
  resting: RestingExit[];
  /** SHADOW: decisions applied to `virtual` only; LIVE: the real book, seeded from the exchange */
  virtual: BrainState | null;
  live: BrainState | null;
  /** the mode of the last evaluation (a switch reseeds the state) */
  lastMode: ExecutorMode | null;
  /** LIVE at any time: then it is not a shadow-only position and gets no comparison */
  everLive: boolean;
  /** SHADOW actions (not holds), for the replay when it closes */
  decisions: LoggedDecision[];
  own: OwnOrders;
  /** epoch ms of the last order this executor placed for it */
  lastActionAt: number;
}

export function newTrackedPosition(p: PositionSnapshot, now: number): TrackedPosition {
  const openedAt = p.openedAt ?? now;
  return {
    key: positionKeyOf(p.symbol, p.side, openedAt), symbol: p.symbol, side: p.side, openedAt, entryPrice: p.entryPrice, leverage: p.leverage,
    maxSize: p.size, lastSize: p.size, lastMark: p.markPrice, lastSeenAt: now, reductions: [], resting: [],
    virtual: null, live: null, lastMode: null, everLive: false, decisions: [], own: { stops: [], takeProfits: [] }, lastActionAt: 0,
  };
}

/** Updates the sighting: a smaller size is a partial close at the last mark (by whoever did it). */
export function observeSighting(t: TrackedPosition, p: PositionSnapshot, orders: PositionExitOrders, at: number): void {
  if (p.size < t.lastSize - 1e-12 && t.maxSize > 0) {
    t.reductions.push({ fraction: (t.lastSize - p.size) / t.maxSize, price: p.markPrice });
  }
  if (p.size > t.maxSize) t.maxSize = p.size;
  t.lastSize = p.size;
  t.entryPrice = p.entryPrice;
  t.leverage = p.leverage;
  t.lastMark = p.markPrice;
  t.lastSeenAt = at;
  t.resting = [
    ...orders.stops.filter((o) => o.triggerPrice !== null).map((o) => ({ kind: "sl" as const, triggerPrice: o.triggerPrice! })),
    ...orders.takeProfits.filter((o) => o.triggerPrice !== null).map((o) => ({ kind: "tp" as const, triggerPrice: o.triggerPrice! })),
  ];
}
