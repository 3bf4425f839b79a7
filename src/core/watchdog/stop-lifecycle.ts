// Whether an open conditional (algo) order still protects its position, by Binance's algo
// lifecycle: NEW waits for its trigger; TRIGGERING (forwarded to the matching engine) and
// TRIGGERED (its order is in the matching engine) are normally over within a moment, so past a few
// seconds the stop is treated as gone — a stop stuck in TRIGGERING (reported on Binance's demo
// venue) must not hide an unprotected position from the watchdog's unprotected_position rule.
// FINISHED, CANCELED, EXPIRED and REJECTED orders protect nothing any more (a FINISHED stop whose
// order did not fill left the position as it was). Plain orders carry no algo state.

export const ALGO_STATUSES = ["NEW", "TRIGGERING", "TRIGGERED", "FINISHED", "CANCELED", "EXPIRED", "REJECTED"] as const;
export type AlgoStatus = (typeof ALGO_STATUSES)[number];

/** How long a stop may be TRIGGERING/TRIGGERED and still count as protection. */
export const STOP_TRIGGERING_MAX_MS = 5_000;

export interface AlgoLifecycle {
  /** Binance's algo state; null/absent for a plain order */
  algoStatus?: AlgoStatus | null;
  /** TRIGGERING/TRIGGERED: when it was first seen firing (ms, same clock as `now`); null = unknown */
  triggeringSince?: number | null;
}

export function isAlgoStatus(s: unknown): s is AlgoStatus {
  return typeof s === "string" && (ALGO_STATUSES as readonly string[]).includes(s);
}

/**
 * Does this open order still count as an exchange-side stop at `now`? A firing stop of unknown
 * age does not (it cannot be shown to be within the grace period).
 */
export function stillProtects(o: AlgoLifecycle, now: number, maxTriggeringMs: number = STOP_TRIGGERING_MAX_MS): boolean {
  switch (o.algoStatus) {
    case undefined:
    case null:
    case "NEW":
      return true;
    case "TRIGGERING":
    case "TRIGGERED":
      return o.triggeringSince != null && now - o.triggeringSince <= maxTriggeringMs;
    default:
      return false;
  }
}
