// The paired test's input as both readers select it from shadow_comparison (the readiness check
// over every position, the Shadow page over its filtered range): one row shape, one mapping.
import type { ShadowPair } from "../../../core/readiness/shadow-comparison-test";

/** `SELECT brain_return_pct AS brain, legacy_return_pct AS legacy, closed_at, held_to_close` */
export interface ShadowPairRow {
  brain: number;
  legacy: number;
  closed_at: Date;
  held_to_close: boolean;
}

export function toShadowPair(r: ShadowPairRow): ShadowPair {
  return { brainReturnPct: r.brain, legacyReturnPct: r.legacy, closedAt: r.closed_at.getTime(), heldToClose: r.held_to_close };
}
