// The filter every shadow analysis takes: a time range and optionally one symbol.
import { z } from "zod";

export const ShadowFilterInput = z
  .object({
    since: z.date().optional(),
    until: z.date().optional(),
    symbol: z.string().trim().toUpperCase().max(40).optional(),
  })
  .refine((f) => !f.since || !f.until || f.since < f.until, { error: "since must be before until" });
export type ShadowFilter = z.infer<typeof ShadowFilterInput>;

/** Open ends become the widest range, so the SQL has one shape. */
export function rangeOf(f: ShadowFilter): { since: Date; until: Date; symbol: string | null } {
  return { since: f.since ?? new Date(0), until: f.until ?? new Date("9999-12-31T00:00:00Z"), symbol: f.symbol || null };
}

export const DECISION_TYPES = ["hold", "move_sl", "partial_close", "full_exit_now", "set_tp"] as const;
