// Realised loss for the UTC day (wallet balance at the first reading of the day minus now)
// above the configured limit.
import { fire, type WatchdogRule } from "./watchdog-rule";

export const dailyLossRule: WatchdogRule = (s, cfg) => {
  const limit = cfg.dailyLossLimit;
  const pnl = s.dailyPnl;
  if (limit === null || pnl === null) return null;
  const loss = pnl.startingBalance - pnl.currentBalance;
  if (loss <= limit) return null;
  return fire(
    "daily_loss",
    `realised loss ${loss.toFixed(2)} ${pnl.asset} on ${pnl.day} (UTC) > limit ${limit} ${cfg.quoteAsset} (wallet ${pnl.startingBalance.toFixed(2)} -> ${pnl.currentBalance.toFixed(2)})`,
  );
};
