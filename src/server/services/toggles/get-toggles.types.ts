import { z } from "zod";
import { reasonString } from "../../../core/toggles/reason";
import { OperationalStateSchema, ToggleSetSchema } from "./change-result.types";

export const TogglesViewSchema = z.object({
  stored: ToggleSetSchema,
  effective: ToggleSetSchema,
  ceilings: ToggleSetSchema.partial(),
  limitedBy: z.record(z.string(), z.string()),
  operationalState: OperationalStateSchema,
  warnings: z.array(z.string()),
  version: z.number().nullable(),
  updatedAt: z.date().nullable(),
  updatedBy: z.string().nullable(),
  requireLiveApproval: z.boolean(),
  requireReadiness: z.boolean(),
});
export type TogglesView = z.infer<typeof TogglesViewSchema>;

export const SetTogglesInput = z.object({
  changes: ToggleSetSchema.partial().refine((c) => Object.keys(c).length > 0, { error: "name at least one toggle to change" }),
  reason: reasonString().nullish(),
  confirmation: z.string().max(40).nullish(),
});

export const RollbackInput = z.object({ target: z.enum(["shadow", "legacy"]), reason: reasonString().nullish() });
export const KillSwitchInput = z.object({ reason: reasonString().nullish() });
