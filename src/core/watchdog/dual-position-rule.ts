// A LONG and a SHORT on the same symbol. In one-way mode that is the runbook's dual-position bug
// (the venue nets one position per symbol: both sides recorded means an order opened the other side
// or the worker reads the account wrongly), never intended. In hedge mode it is the normal use of
// the account (a LONG and a SHORT per symbol, each with its own stop, every order naming its side:
// the gateway keeps each side's orders on that side), so the rule stays silent there. An unknown
// mode (no worker has published it) is read as one-way: the stricter rule.
import { fire, type WatchdogRule } from "./watchdog-rule";

export const dualPositionRule: WatchdogRule = (s, cfg) => {
  if (!cfg.dualPositionEnabled) return null;
  if (s.positionMode === "hedge") return null;
  const symbols = [...new Set(s.positions.filter((p) => p.dualPosition).map((p) => p.symbol))].sort();
  if (symbols.length === 0) return null;
  return fire("dual_position", `both a long and a short position open on ${symbols.join(", ")}`);
};
