// The exchange keeps failing or rejecting our orders: stop sending new executor orders.
import { fire, percent, type WatchdogRule } from "./watchdog-rule";

export const errorRateRule: WatchdogRule = (s, cfg) => {
  const { attempts, failed, rejected } = s.exchange;
  if (attempts < cfg.errorMinSample) return null;
  const rate = (failed + rejected) / attempts;
  if (rate <= cfg.errorRateThreshold) return null;
  return fire(
    "error_rate",
    `${failed + rejected} of ${attempts} exchange attempts in the last ${cfg.errorWindowS} s failed (${failed}) or were rejected (${rejected}): ${percent(rate)} > ${percent(cfg.errorRateThreshold)}`,
  );
};
