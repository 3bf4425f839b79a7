export * from "./watchdog-config";
export * from "./watchdog-snapshot";
export * from "./watchdog-rule";
export * from "./evaluate-watchdog";
export { heartbeatStaleRule } from "./heartbeat-stale-rule";
export { errorRateRule } from "./error-rate-rule";
export { unprotectedPositionRule } from "./unprotected-position-rule";
export { dualPositionRule } from "./dual-position-rule";
export { dailyLossRule } from "./daily-loss-rule";
