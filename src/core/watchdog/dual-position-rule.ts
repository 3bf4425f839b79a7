// A LONG and a SHORT on the same symbol: the runbook's dual-position bug, never intended.
import { fire, type WatchdogRule } from "./watchdog-rule";

export const dualPositionRule: WatchdogRule = (s, cfg) => {
  if (!cfg.dualPositionEnabled) return null;
  const symbols = [...new Set(s.positions.filter((p) => p.dualPosition).map((p) => p.symbol))].sort();
  if (symbols.length === 0) return null;
  return fire("dual_position", `both a long and a short position open on ${symbols.join(", ")}`);
};
