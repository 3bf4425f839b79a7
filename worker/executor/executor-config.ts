// The executor's settings, from the validated environment (Exit Brain section of src/env.js).
import { defaultExitBrainParams, type ExitBrainParams } from "../../src/core/exit-brain";
import type { RetryBackoff } from "../../src/core/retry/backoff";
import type { Env } from "../../src/env.js";

export interface ExecutorConfig {
  /** EXIT_BRAIN_INTERVAL_S: every open position is evaluated at least this often */
  intervalS: number;
  /** EXIT_BRAIN_TIMEFRAME: candles for the ATR (the simulator's sample is 5m) */
  timeframe: string;
  /** EXIT_BRAIN_PRICE_DEBOUNCE_MS: at most one price-triggered evaluation per symbol per window */
  debounceMs: number;
  /** SHADOW_LOG_FILE; null = no file */
  shadowLogFile: string | null;
  /** SHADOW_LOG_HOLD_SAMPLE */
  holdSample: number;
  flushMs: number;
  flushRows: number;
  params: ExitBrainParams;
  /** decisions carried out per evaluation before waiting for the next one */
  maxActionsPerEvaluation: number;
  /** wait before re-sending an order the venue rejected (default: 5 s doubling to 60 s) */
  retryBackoff?: RetryBackoff;
}

const TIMEFRAME_MS: Record<string, number> = {
  "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000,
};

export function timeframeMs(tf: string): number {
  const ms = TIMEFRAME_MS[tf];
  if (!ms) throw new Error(`timeframe ${tf} is not supported; use one of ${Object.keys(TIMEFRAME_MS).join(", ")}`);
  return ms;
}

export function executorConfigFromEnv(
  e: Pick<Env, "EXIT_BRAIN_INTERVAL_S" | "EXIT_BRAIN_TIMEFRAME" | "EXIT_BRAIN_PRICE_DEBOUNCE_MS" | "SHADOW_LOG_FILE" | "SHADOW_LOG_HOLD_SAMPLE">,
  params: ExitBrainParams = defaultExitBrainParams,
): ExecutorConfig {
  return {
    intervalS: e.EXIT_BRAIN_INTERVAL_S,
    timeframe: e.EXIT_BRAIN_TIMEFRAME,
    debounceMs: e.EXIT_BRAIN_PRICE_DEBOUNCE_MS,
    shadowLogFile: e.SHADOW_LOG_FILE === "" ? null : e.SHADOW_LOG_FILE,
    holdSample: e.SHADOW_LOG_HOLD_SAMPLE,
    flushMs: 500,
    flushRows: 500,
    params,
    maxActionsPerEvaluation: 4,
  };
}
