// Public API of the backtester.
export { brainPolicy } from "./brain-policy";
export { entriesAtTimes, randomEntries, type TimedEntry } from "./entries";
export { legacyPolicy, type LegacyModule } from "./legacy-policy";
export { computeMetrics } from "./metrics";
export type { BacktestPolicy, PolicyContext } from "./policy";
export { runBacktest, type BacktestInput, type BacktestResult } from "./run-backtest";
export { CLOSE_TYPES, defaultFillConfig, FillConfigSchema, type CloseType, type Entry, type FillConfig, type PolicyMetrics, type TradeResult } from "./types";
