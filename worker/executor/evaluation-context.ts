// What one evaluation of one position passes to the SHADOW and the LIVE halves of the executor.
import type { Decision } from "../../src/core/exit-brain";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { ExecutorMode } from "../../src/core/decisions";
import type { Logger } from "../../src/server/logger";
import type { ExecutorConfig } from "./executor-config";
import type { TrackedPosition } from "./tracked-position";

/** What started the evaluation: the interval (holds are recorded) or a price tick (they are not). */
export type Trigger = "interval" | "price";

export interface Times {
  /** wall clock: when the decision is recorded */
  wall: number;
  /** exchange clock: what the policy and the replay compare with openedAt and candle times */
  exchange: number;
}

/** Records one decision (recorder + counters + last decision time); owned by the executor. */
export type RecordDecision = (t: TrackedPosition, position: PositionSnapshot, decision: Decision, mode: ExecutorMode, version: number | null, at: number) => void;

export interface EvaluationContext {
  config: Pick<ExecutorConfig, "params" | "maxActionsPerEvaluation">;
  log: Logger;
  record: RecordDecision;
}
