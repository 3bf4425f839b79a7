// What a fill costs in the path evaluator: taker fee on every fill (the product's exits are all
// MARKET / STOP_MARKET / TAKE_PROFIT_MARKET orders, entries are market orders), slippage that
// grows with the candle's range (a crash candle slips far more than a quiet one), funding from a
// rate series (a constant when none is given), and the liquidation price of an isolated
// position at the given leverage.
import { z } from "zod";

export const FundingPointSchema = z.object({
  /** epoch ms from which this rate applies */
  time: z.number().int(),
  /** funding rate per 8 h settlement, percent (positive: longs pay shorts) */
  ratePct: z.number().min(-1).max(1),
});

export const CostModelSchema = z.object({
  /** taker fee per fill, percent of notional (Binance USD-M standard tier: 0.05) */
  takerFeePct: z.number().min(0).max(1).default(0.05),
  /** slippage on every fill = slipBasePct + slipRangeFrac x (candle high - low) / close, percent */
  slipBasePct: z.number().min(0).max(5).default(0.01),
  /** share of the candle's range lost to slippage on a market fill inside it */
  slipRangeFrac: z.number().min(0).max(1).default(0.05),
  /** funding rate per 8 h when the series gives none, percent (Binance's baseline 0.01) */
  fundingRatePct: z.number().min(-1).max(1).default(0.01),
  /** funding rates over time, ascending; empty = the constant above */
  fundingSeries: z.array(FundingPointSchema).default([]),
  /** notional per trade as a fraction of starting equity (no compounding), for drawdowns */
  stakeFraction: z.number().gt(0).max(10).default(0.02),
  leverage: z.number().min(1).max(125).default(10),
  maintenanceMarginPct: z.number().min(0).max(50).default(0.5),
});
export type CostModel = z.infer<typeof CostModelSchema>;
export const defaultCostModel: CostModel = Object.freeze(CostModelSchema.parse({}));
/** The zero-cost control: no fee, no slippage, no funding. */
export const zeroCostModel: CostModel = Object.freeze(CostModelSchema.parse({ takerFeePct: 0, slipBasePct: 0, slipRangeFrac: 0, fundingRatePct: 0 }));

export const FUNDING_PERIOD_MS = 8 * 3_600_000;

/** Slippage as a fraction of price for a market fill inside a candle with this range. */
export function slippageFraction(cost: CostModel, high: number, low: number, close: number): number {
  return (cost.slipBasePct + (cost.slipRangeFrac * (high - low) * 100) / close) / 100;
}

/** Funding rate (fraction, per settlement) in force at `time`. */
export function fundingRateAt(cost: CostModel, time: number): number {
  const s = cost.fundingSeries;
  if (s.length === 0 || time < s[0]!.time) return cost.fundingRatePct / 100;
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s[mid]!.time <= time) lo = mid;
    else hi = mid - 1;
  }
  return s[lo]!.ratePct / 100;
}
