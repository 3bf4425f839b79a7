import { z } from "zod";

const ToggleSetSchema = z.object({
  EXIT_MODE: z.enum(["LEGACY", "EXIT_BRAIN_V3"]),
  EXIT_EXECUTOR_MODE: z.enum(["SHADOW", "LIVE"]),
  EXIT_BRAIN_V3_LIVE_ROLLOUT: z.enum(["DISABLED", "ENABLED"]),
});
export { ToggleSetSchema };

export const OperationalStateSchema = z.enum(["LEGACY", "EXIT_BRAIN_V3_SHADOW", "EXIT_BRAIN_V3_LIVE"]);

export const StoredTogglesSchema = z.object({ toggles: ToggleSetSchema, version: z.number(), updatedAt: z.date(), updatedBy: z.string() });

/** What a toggle mutation returns: the change, plus any readiness item that was not met. */
export const ChangeOutcomeSchema = z.object({
  changed: z.boolean(),
  kind: z.enum(["escalation", "rollback", "neutral"]),
  before: StoredTogglesSchema,
  after: StoredTogglesSchema,
  stateBefore: OperationalStateSchema,
  stateAfter: OperationalStateSchema,
  auditId: z.number().nullable(),
  readinessWarnings: z.array(z.string()),
});
export type ChangeOutcome = z.infer<typeof ChangeOutcomeSchema>;
