// Shapes shared by the backtest engine, its policies and its metrics.
import { z } from "zod";
import type { Side } from "../market/types";

/** Why a trade closed (Hummingbot-style close types). Partial fills are counted apart. */
export type CloseType =
  | "STOP_LOSS"
  | "BREAKEVEN_STOP"
  | "TRAILING_STOP"
  | "TAKE_PROFIT"
  | "TIME_LIMIT"
  | "EMERGENCY"
  | "LIQUIDATION"
  | "END_OF_DATA";

export const CLOSE_TYPES: readonly CloseType[] = [
  "STOP_LOSS",
  "BREAKEVEN_STOP",
  "TRAILING_STOP",
  "TAKE_PROFIT",
  "TIME_LIMIT",
  "EMERGENCY",
  "LIQUIDATION",
  "END_OF_DATA",
];

/** An entry: the position opens at the close of candle `index`. */
export interface Entry {
  readonly index: number;
  readonly side: Side;
}

export const FillConfigSchema = z.object({
  /** taker fee per side, percent of notional (entries, stops, market closes); Binance USD-M standard tier 0.05 */
  takerFeePct: z.number().min(0).max(1).default(0.05),
  /** maker fee, percent (only with takeProfitOrder = "limit") */
  makerFeePct: z.number().min(0).max(1).default(0.02),
  /**
   * How resting take-profits fill. "market" (default) = what the product places for BOTH
   * policies: TAKE_PROFIT_MARKET, a reduce-only market order once triggered, so taker fee plus
   * slippage (the gateway accepts only MARKET / STOP_MARKET / TAKE_PROFIT_MARKET /
   * TRAILING_STOP_MARKET exit orders). "limit" = maker fee, no slippage (a what-if).
   */
  takeProfitOrder: z.enum(["market", "limit"]).default("market"),
  /** adverse slippage on market and stop fills, percent of price */
  slippagePct: z.number().min(0).max(5).default(0.02),
  /** notional per trade as a fraction of starting equity (no compounding) */
  stakeFraction: z.number().gt(0).max(10).default(0.02),
  leverage: z.number().min(1).max(125).default(10),
  maintenanceMarginPct: z.number().min(0).max(50).default(0.5),
});
export type FillConfig = z.infer<typeof FillConfigSchema>;
export const defaultFillConfig: FillConfig = Object.freeze(FillConfigSchema.parse({}));

export interface TradeResult {
  readonly entryIndex: number;
  readonly exitIndex: number;
  readonly side: Side;
  /** net return on the entry notional, after fees and slippage (0.01 = +1%) */
  readonly ret: number;
  /** |entry - first stop| / entry; NaN if the trade never had a stop */
  readonly initialRisk: number;
  readonly closeType: CloseType;
  readonly partialFills: number;
}

export interface PolicyMetrics {
  readonly policy: string;
  readonly trades: number;
  readonly winRate: number;
  /** sum of stakeFraction x per-trade return, as a fraction of starting equity */
  readonly totalReturn: number;
  readonly avgR: number;
  /** largest peak-to-trough fall of equity marked at each exit, fraction of the peak */
  readonly maxDrawdown: number;
  /** mean / standard deviation of per-trade returns (not annualised) */
  readonly sharpe: number;
  readonly avgReturnPct: number;
  readonly avgHoldCandles: number;
  readonly exitsByType: Readonly<Record<CloseType, number>>;
  readonly partialFills: number;
}
