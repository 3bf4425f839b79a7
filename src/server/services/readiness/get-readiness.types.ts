import { z } from "zod";

export const ReadinessItemSchema = z.object({
  id: z.string(),
  group: z.enum(["before_live", "while_live", "after_rollback"]),
  label: z.string(),
  ok: z.boolean(),
  why: z.string(),
});

export const ReadinessSchema = z.object({
  phase: z.enum(["before_live", "live", "after_rollback"]),
  ready_for_live: z.boolean(),
  items: z.array(ReadinessItemSchema),
});
