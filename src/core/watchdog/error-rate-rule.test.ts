import { describe, expect, it } from "vitest";
import { errorRateRule } from "./error-rate-rule";
import { evaluateWatchdog } from "./evaluate-watchdog";
import { config, healthySnapshot, NOT_LIVE } from "./testing/snapshot";

describe("error_rate", () => {
  const cfg = config({ errorRateThreshold: 0.5, errorWindowS: 60, errorMinSample: 10 });

  it("does not fire at exactly the threshold rate", () => {
    expect(errorRateRule(healthySnapshot({ exchange: { attempts: 10, failed: 3, rejected: 2 } }), cfg)).toBeNull();
  });

  it("fires above the threshold, naming counts, window and both rates", () => {
    expect(errorRateRule(healthySnapshot({ exchange: { attempts: 10, failed: 4, rejected: 2 } }), cfg)).toEqual({
      rule: "error_rate",
      reason: "watchdog: error_rate: 6 of 10 exchange attempts in the last 60 s failed (4) or were rejected (2): 60.0% > 50.0%",
    });
  });

  it("does not fire below the minimum sample, however bad the rate", () => {
    expect(errorRateRule(healthySnapshot({ exchange: { attempts: 9, failed: 9, rejected: 0 } }), cfg)).toBeNull();
    expect(errorRateRule(healthySnapshot({ exchange: { attempts: 10, failed: 10, rejected: 0 } }), cfg)?.rule).toBe("error_rate");
  });

  it("does not fire with no attempts at all", () => {
    expect(errorRateRule(healthySnapshot({ exchange: { attempts: 0, failed: 0, rejected: 0 } }), config({ errorMinSample: 1 }))).toBeNull();
  });

  it.each(NOT_LIVE)("does nothing in %s", (state) => {
    expect(evaluateWatchdog(healthySnapshot({ state, exchange: { attempts: 50, failed: 50, rejected: 0 } }), cfg)).toEqual([]);
  });
});
