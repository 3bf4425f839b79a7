// Parameters of the legacy exit modules. The runbook does not state their values; these are
// typical fixed-distance settings (1.5% stop, 3% target, i.e. 2:1 reward to risk) and are
// NOT tuned, so the comparison does not flatter Exit Brain by weakening the baseline.
import { z } from "zod";

export const PositionMonitorParamsSchema = z.object({
  stopLossPct: z.number().positive().default(1.5),
  takeProfitPct: z.number().positive().default(3),
});
export type PositionMonitorParams = z.infer<typeof PositionMonitorParamsSchema>;

export const HybridLevelSchema = z.object({
  /** distance from entry, percent */
  pct: z.number().positive(),
  /** fraction of the *remaining* size this level closes; the last level should be 1 */
  fraction: z.number().gt(0).lte(1),
});

export const HybridTpslParamsSchema = z.object({
  stopLossPct: z.number().positive().default(1.5),
  levels: z
    .array(HybridLevelSchema)
    .min(1)
    .default([
      { pct: 1.5, fraction: 0.5 },
      { pct: 3, fraction: 1 },
    ])
    .refine((ls) => ls.every((l, i) => i === 0 || l.pct > ls[i - 1]!.pct), "levels must have ascending pct"),
});
export type HybridTpslParams = z.infer<typeof HybridTpslParamsSchema>;

export const defaultPositionMonitorParams: PositionMonitorParams = Object.freeze(PositionMonitorParamsSchema.parse({}));
export const defaultHybridTpslParams: HybridTpslParams = Object.freeze(HybridTpslParamsSchema.parse({}));
