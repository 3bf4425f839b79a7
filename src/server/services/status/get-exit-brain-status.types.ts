import { z } from "zod";
import { ReadinessSchema } from "../readiness/get-readiness.types";
import { OperationalStateSchema, ToggleSetSchema } from "../toggles/change-result.types";

const Counts = z.record(z.string(), z.number());
const Metrics = z.object({
  total_exit_orders: z.number(),
  blocked_legacy_orders: z.number(),
  ownership_conflicts: z.number(),
  orders_by_module: Counts,
  orders_by_kind: Counts,
});

/** The runbook's health JSON plus our extras (see src/core/status/status-report.ts). */
export const StatusReportSchema = z.object({
  timestamp: z.string(),
  config: z.object({
    exit_mode: ToggleSetSchema.shape.EXIT_MODE,
    exit_executor_mode: ToggleSetSchema.shape.EXIT_EXECUTOR_MODE,
    exit_brain_live_rollout: ToggleSetSchema.shape.EXIT_BRAIN_V3_LIVE_ROLLOUT,
    live_mode_active: z.boolean(),
  }),
  executor: z.object({ running: z.boolean(), effective_mode: z.enum(["LIVE", "SHADOW", "OFF"]), last_decision_timestamp: z.string().nullable() }),
  metrics: Metrics,
  operational_state: OperationalStateSchema,
  metrics_period: z.object({ since: z.string().nullable(), toggle_version: z.number().nullable(), audit_id: z.number().nullable(), state: OperationalStateSchema }),
  metrics_lifetime: Metrics,
  metrics_assessment: z.object({ healthy: z.boolean(), red_flags: z.array(z.string()), checks: z.array(z.string()) }),
  armed_by: z.enum(["EXIT_MODE", "EXIT_EXECUTOR_MODE", "EXIT_BRAIN_V3_LIVE_ROLLOUT"]).nullable(),
  toggles_version: z.number().nullable(),
  stored_toggles: ToggleSetSchema,
  ceilings: ToggleSetSchema.partial(),
  warnings: z.array(z.string()),
  worker: z.object({
    up: z.boolean(),
    worker_id: z.string().nullable(),
    last_beat_at: z.string().nullable(),
    seconds_since_beat: z.number().nullable(),
    toggle_state_confirmed: z.boolean().nullable(),
    toggle_version: z.number().nullable(),
  }),
  readiness: ReadinessSchema.nullable(),
});
