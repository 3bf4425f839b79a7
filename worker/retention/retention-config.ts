// The worker's retention settings, from the validated environment (the
// "Retention, rotation and disk pressure" section of src/env.js).
import type { RetentionPolicy } from "../../src/core/retention/retention-policy";
import type { Env } from "../../src/env.js";

export function retentionPolicyFromEnv(
  e: Pick<Env, "RETENTION_EXIT_ORDER_ATTEMPT_DAYS" | "RETENTION_SHADOW_DECISION_DAYS" | "RETENTION_HEARTBEAT_DAYS" | "RETENTION_SAFETY_SAMPLE_DAYS" | "RETENTION_ACCOUNT_PNL_DAYS" | "RETENTION_MARKET_CANDLE_DAYS" | "SHADOW_PARTITIONS_AHEAD_DAYS">,
): RetentionPolicy {
  return {
    exitOrderAttemptDays: e.RETENTION_EXIT_ORDER_ATTEMPT_DAYS,
    shadowDecisionDays: e.RETENTION_SHADOW_DECISION_DAYS,
    heartbeatDays: e.RETENTION_HEARTBEAT_DAYS,
    safetySampleDays: e.RETENTION_SAFETY_SAMPLE_DAYS,
    accountPnlDays: e.RETENTION_ACCOUNT_PNL_DAYS,
    marketCandleDays: e.RETENTION_MARKET_CANDLE_DAYS,
    partitionsAheadDays: e.SHADOW_PARTITIONS_AHEAD_DAYS,
  };
}
