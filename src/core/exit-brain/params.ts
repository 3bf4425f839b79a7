// Exit Brain parameters: one zod schema with the defaults, so the CLI, the tuner and the
// worker validate the same shape. Distances are in ATR multiples or in R (R = the distance
// from entry to the initial stop), so one parameter set fits 1m and 1h candles alike.
// The defaults are the best of two rounds of random search on the path evaluator under
// docs/backtest-protocol.md (60 trials each, the same budget as the legacy baseline, on the first
// 60% of BTCUSDT-5m-shinltp and BTCUSDT-1m-alpergulsen only: bench/backtest-tune.ts,
// bench/backtest-tuned.json); docs/backtest-results.md has the out-of-sample verdict. The time
// limit is off: the fit preferred holding to the stops and targets.
import { z } from "zod";

export const LadderStepSchema = z.object({
  /** profit, in R, at which this step is taken */
  triggerR: z.number().positive(),
  /** fraction of the *remaining* position to close, (0, 1] */
  fraction: z.number().gt(0).lte(1),
});
export type LadderStep = z.infer<typeof LadderStepSchema>;

export const ExitBrainParamsSchema = z
  .object({
    /**
     * Volatility reference interval, ms. ATR distances (stop, trailing, breakeven buffer,
     * liquidation buffer) use the ATR rescaled to this candle interval by the square root of
     * time, and the shock rule's minimum move is scaled the other way, so one parameter set
     * means the same on 1m, 5m and 1h candles. 0 (default) = the raw per-candle ATR, which is
     * what the fitted multipliers below were fitted with; e.g. 300000 (5m) turns scaling on.
     * Off by default: on the fitting data it did not help (docs/backtest-results.md).
     */
    volRefIntervalMs: z.number().min(0).default(0),
    /** Wilder ATR period, in candles */
    atrPeriod: z.number().int().min(2).max(200).default(28),
    /** initial stop distance = slAtrMult x ATR, clamped to [minStopPct, maxStopPct] of entry */
    slAtrMult: z.number().positive().default(3.37),
    minStopPct: z.number().positive().default(2.3),
    maxStopPct: z.number().positive().default(6),
    /** stop distance when no ATR is available yet (too few candles) */
    fallbackStopPct: z.number().positive().default(1.5),
    /** move the stop to entry (+ offset, to cover fees) once pnl >= this many R */
    breakevenTriggerR: z.number().positive().default(0.62),
    breakevenOffsetPct: z.number().min(0).default(0.22),
    /**
     * room left for noise: the breakeven stop sits this many (time-scaled) ATR behind
     * entry + offset, so a wiggle back to entry does not stop out a trade that is working
     */
    breakevenBufferAtr: z.number().min(0).default(0),
    /** trail once pnl >= trailTriggerR R, at trailAtrMult x ATR behind the best price */
    trailTriggerR: z.number().positive().default(1.53),
    trailAtrMult: z.number().positive().default(8.66),
    /** only move a trailing stop by at least this many ATR (fewer exchange orders) */
    trailMinStepAtr: z.number().min(0).default(0.25),
    /** partial take-profit ladder, ascending triggerR */
    ladder: z.array(LadderStepSchema).max(8).default([{ triggerR: 2, fraction: 0.5 }]),
    /** final take-profit at this many R from entry; 0 = none (let the trailing stop exit) */
    takeProfitR: z.number().min(0).default(2.47),
    /** one-candle move against the position of at least this many ATR (and shockMinPct) = shock */
    shockAtrMult: z.number().positive().default(8),
    shockMinPct: z.number().min(0).default(2),
    /** exit when the mark is within this distance of the liquidation price */
    liqBufferPct: z.number().min(0).default(1.5),
    liqBufferAtr: z.number().min(0).default(3),
    /** close a position after this long, ms (0 = never) */
    maxHoldMs: z.number().min(0).default(0),
  })
  .refine((p) => p.minStopPct <= p.maxStopPct, { message: "minStopPct must be <= maxStopPct", path: ["minStopPct"] })
  .refine((p) => p.ladder.every((s, i) => i === 0 || s.triggerR > p.ladder[i - 1]!.triggerR), {
    message: "ladder steps must have ascending triggerR",
    path: ["ladder"],
  });

export type ExitBrainParams = z.infer<typeof ExitBrainParamsSchema>;

export const defaultExitBrainParams: ExitBrainParams = Object.freeze(ExitBrainParamsSchema.parse({}));

/** Validates a partial parameter object (e.g. from a JSON file), filling in the defaults. */
export function parseExitBrainParams(input: unknown): ExitBrainParams {
  return ExitBrainParamsSchema.parse(input ?? {});
}
