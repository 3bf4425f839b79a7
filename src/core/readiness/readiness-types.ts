// The runbook's success criteria as a checklist: plain inputs (gathered from PostgreSQL by
// src/server/services/readiness) -> items that each say ok or not, and why.
import type { OperationalState } from "../toggles";
import type { ShadowPair } from "./shadow-comparison-test";

/** before_live: gates going LIVE; while_live: checked while LIVE; after_rollback: the runbook's rollback validation. */
export type ReadinessGroup = "before_live" | "while_live" | "after_rollback";

export interface ReadinessItem {
  id: string;
  group: ReadinessGroup;
  label: string;
  ok: boolean;
  /** one sentence: what was measured, and what to do when not ok. Counts only: it is public in the health JSON. */
  why: string;
}

export interface Readiness {
  /** which part of the runbook applies now */
  phase: "before_live" | "live" | "after_rollback";
  /** every before_live item is ok: going LIVE is backed by the data */
  ready_for_live: boolean;
  items: ReadinessItem[];
}

export interface OpenPositionFacts {
  symbol: string;
  protected: boolean;
  dualPosition: boolean;
  /** newest Exit Brain decision for this symbol, if any */
  lastDecisionAt: Date | null;
}

export interface ReadinessInputs {
  now: Date;
  state: OperationalState;
  /** READINESS_OBSERVATION_H */
  observationHours: number;
  /** EXIT_BRAIN_INTERVAL_S: how often the executor decides per position */
  decisionIntervalS: number;
  /** the oldest start time among workers whose heartbeat is fresh (a crash restarts it); null when none is up */
  workerUpSince: Date | null;
  /** since when the state has been out of LEGACY without a break (the executor runs only then); null in LEGACY */
  executorOnSince: Date | null;
  /** the executor as its worker reports it; null when no worker reports */
  executorRunning: boolean | null;
  openPositions: OpenPositionFacts[];
  shadowDecisionCount: number;
  comparison: {
    positions: number;
    brainAvgReturnPct: number | null;
    legacyAvgReturnPct: number | null;
    /** each closed shadowed position's two returns (the paired test's input) */
    pairs: readonly ShadowPair[];
    /** READINESS_MIN_SHADOW_POSITIONS: closed positions needed before any verdict (default 30) */
    minPositions: number;
  };
  /** gateway attempts since the state last became LIVE (null when it never did) */
  sinceLive: { at: Date; executorPlaced: number; legacyAttempts: number; legacyBlocked: number; legacyPlaced: number } | null;
  /** the most recent change that took the state out of LIVE, and the latest state change of any kind */
  lastLeftLiveAt: Date | null;
  lastStateChangeAt: Date | null;
  /**
   * The latest change that raised the state (e.g. Step 1 after a Rollback C). After one, the
   * rollback checklist is over: the operator is walking the runbook again. Absent = none known.
   */
  lastEscalationAt?: Date | null;
}
