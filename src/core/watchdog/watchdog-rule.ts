// One rule = one pure function of (snapshot, config) that returns a firing or null.
import type { WatchdogConfig } from "./watchdog-config";
import type { WatchdogSnapshot } from "./watchdog-snapshot";

export const WATCHDOG_RULES = ["heartbeat_stale", "error_rate", "unprotected_position", "dual_position", "daily_loss"] as const;
export type WatchdogRuleName = (typeof WATCHDOG_RULES)[number];

export interface WatchdogFiring {
  rule: WatchdogRuleName;
  /** "watchdog: <rule>: <what, with the numbers>" — becomes the audited rollback reason */
  reason: string;
}

export type WatchdogRule = (s: WatchdogSnapshot, cfg: WatchdogConfig) => WatchdogFiring | null;

export const fire = (rule: WatchdogRuleName, detail: string): WatchdogFiring => ({ rule, reason: `watchdog: ${rule}: ${detail}` });

/** "12.3 s" */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** "50.0%" */
export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
