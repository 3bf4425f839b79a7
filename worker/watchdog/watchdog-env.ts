// WATCHDOG_* environment variables (validated in src/env.js) -> the core watchdog config.
import type { Env } from "../../src/env.js";
import { watchdogConfigSchema, type WatchdogConfig } from "../../src/core/watchdog";

export function watchdogConfigFromEnv(e: Env): WatchdogConfig {
  return watchdogConfigSchema.parse({
    enabled: e.WATCHDOG_ENABLED,
    heartbeatStaleS: e.WATCHDOG_HEARTBEAT_STALE_S,
    errorRateThreshold: e.WATCHDOG_ERROR_RATE,
    errorWindowS: e.WATCHDOG_ERROR_WINDOW_S,
    errorMinSample: e.WATCHDOG_ERROR_MIN_SAMPLE,
    unprotectedMaxS: e.WATCHDOG_UNPROTECTED_S,
    dualPositionEnabled: e.WATCHDOG_DUAL_POSITION,
    dailyLossLimit: e.WATCHDOG_DAILY_LOSS_LIMIT ?? null,
    quoteAsset: e.WATCHDOG_QUOTE_ASSET,
    checkIntervalMs: e.WATCHDOG_INTERVAL_MS,
    webhookUrl: e.WATCHDOG_WEBHOOK_URL ?? null,
    webhookTimeoutMs: e.WATCHDOG_WEBHOOK_TIMEOUT_MS,
  });
}
