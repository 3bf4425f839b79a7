import { describe, expect, it } from "vitest";
import { dailyLossRule } from "./daily-loss-rule";
import { evaluateWatchdog } from "./evaluate-watchdog";
import { config, healthySnapshot, NOT_LIVE } from "./testing/snapshot";

describe("daily_loss", () => {
  const cfg = config({ dailyLossLimit: 500 });
  const withBalance = (current: number) =>
    healthySnapshot({ dailyPnl: { day: "2025-05-01", asset: "USDT", startingBalance: 10_000, currentBalance: current } });

  it("does not fire at exactly the limit, nor on a profit", () => {
    expect(dailyLossRule(withBalance(9_500), cfg)).toBeNull();
    expect(dailyLossRule(withBalance(12_000), cfg)).toBeNull();
  });

  it("fires above the limit, naming the loss, the day, the limit and the balances", () => {
    expect(dailyLossRule(withBalance(9_387.5), cfg)).toEqual({
      rule: "daily_loss",
      reason: "watchdog: daily_loss: realised loss 612.50 USDT on 2025-05-01 (UTC) > limit 500 USDT (wallet 10000.00 -> 9387.50)",
    });
  });

  it("is off without a limit, and silent without today's balances", () => {
    expect(dailyLossRule(withBalance(1_000), config({ dailyLossLimit: null }))).toBeNull();
    expect(dailyLossRule(healthySnapshot({ dailyPnl: null }), cfg)).toBeNull();
  });

  it.each(NOT_LIVE)("does nothing in %s", (state) => {
    expect(evaluateWatchdog({ ...withBalance(0), state }, cfg)).toEqual([]);
  });
});
