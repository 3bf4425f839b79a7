// Public API of the Exit Brain policy (used by the executor, the backtester and the tests).
export { atrFromCandles, trueRange, wilderAtrStep } from "./atr";
export { applyDecision, createBrainState, improvesStop, observeCandle, observePrice, type BrainState, type ExistingOrders } from "./brain-state";
export { toDecisionRecord, type Decision, type DecisionRecord, type DecisionType, type ExitReason, type SlReason } from "./decision";
export { evaluatePosition, HOLD } from "./evaluate-position";
export { closedCandles, createMarketSnapshot, marketSnapshotFromCandles, updateMarketSnapshot, type MarketSnapshot } from "./market-snapshot";
export { defaultExitBrainParams, ExitBrainParamsSchema, parseExitBrainParams, type ExitBrainParams, type LadderStep } from "./params";
