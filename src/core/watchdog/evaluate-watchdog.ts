// All rules over one snapshot. Rules act only while the state is LIVE: outside LIVE the legacy
// modules own the exits and there is nothing for the kill switch to roll back.
import { dailyLossRule } from "./daily-loss-rule";
import { dualPositionRule } from "./dual-position-rule";
import { errorRateRule } from "./error-rate-rule";
import { heartbeatStaleRule } from "./heartbeat-stale-rule";
import { unprotectedPositionRule } from "./unprotected-position-rule";
import type { WatchdogConfig } from "./watchdog-config";
import type { WatchdogFiring, WatchdogRule } from "./watchdog-rule";
import type { WatchdogSnapshot } from "./watchdog-snapshot";

const RULES: readonly WatchdogRule[] = [heartbeatStaleRule, errorRateRule, unprotectedPositionRule, dualPositionRule, dailyLossRule];

export function evaluateWatchdog(s: WatchdogSnapshot, cfg: WatchdogConfig): WatchdogFiring[] {
  if (!cfg.enabled || s.state !== "EXIT_BRAIN_V3_LIVE") return [];
  return RULES.map((rule) => rule(s, cfg)).filter((f): f is WatchdogFiring => f !== null);
}

/** One audited rollback carries every rule that fired on that check. */
export function rollbackReason(firings: readonly WatchdogFiring[]): string {
  return firings.map((f) => f.reason).join("; ");
}
