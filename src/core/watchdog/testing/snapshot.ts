// A healthy LIVE snapshot for the rule tests; each test changes only what it is about.
import { DEFAULT_WATCHDOG_CONFIG, type WatchdogConfig } from "../watchdog-config";
import type { WatchdogSnapshot } from "../watchdog-snapshot";

export function healthySnapshot(over: Partial<WatchdogSnapshot> = {}): WatchdogSnapshot {
  return {
    now: Date.UTC(2025, 4, 1, 12, 0, 0),
    state: "EXIT_BRAIN_V3_LIVE",
    heartbeatAgeMs: 800,
    exchange: { attempts: 20, failed: 1, rejected: 1 },
    positions: [{ symbol: "BTCUSDT", side: "long", unprotectedForMs: null, dualPosition: false }],
    dailyPnl: { day: "2025-05-01", asset: "USDT", startingBalance: 10_000, currentBalance: 9_900 },
    ...over,
  };
}

export function config(over: Partial<WatchdogConfig> = {}): WatchdogConfig {
  return { ...DEFAULT_WATCHDOG_CONFIG, dailyLossLimit: 500, ...over };
}

export const NOT_LIVE = ["LEGACY", "EXIT_BRAIN_V3_SHADOW"] as const;
