import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../src/env.js";
import { DEFAULT_WATCHDOG_CONFIG } from "../../src/core/watchdog";
import { watchdogConfigFromEnv } from "./watchdog-env";

describe("watchdogConfigFromEnv", () => {
  it("an empty environment gives exactly the core defaults (the two lists of defaults agree)", () => {
    expect(watchdogConfigFromEnv(parseEnv({}))).toEqual(DEFAULT_WATCHDOG_CONFIG);
  });

  it("maps every WATCHDOG_* variable", () => {
    const cfg = watchdogConfigFromEnv(parseEnv({
      WATCHDOG_ENABLED: "false", WATCHDOG_HEARTBEAT_STALE_S: "5", WATCHDOG_ERROR_RATE: "0.2", WATCHDOG_ERROR_WINDOW_S: "30",
      WATCHDOG_ERROR_MIN_SAMPLE: "4", WATCHDOG_UNPROTECTED_S: "12", WATCHDOG_DUAL_POSITION: "no", WATCHDOG_DAILY_LOSS_LIMIT: "250",
      WATCHDOG_QUOTE_ASSET: "USDC", WATCHDOG_INTERVAL_MS: "500", WATCHDOG_WEBHOOK_URL: "https://hooks.example.com/T/B/x",
      WATCHDOG_WEBHOOK_TIMEOUT_MS: "2000",
    }));
    expect(cfg).toEqual({
      enabled: false, heartbeatStaleS: 5, errorRateThreshold: 0.2, errorWindowS: 30, errorMinSample: 4, unprotectedMaxS: 12,
      dualPositionEnabled: false, dailyLossLimit: 250, quoteAsset: "USDC", checkIntervalMs: 500,
      webhookUrl: "https://hooks.example.com/T/B/x", webhookTimeoutMs: 2000,
    });
  });

  it("refuses malformed values, naming the variable and what is allowed", () => {
    let err: unknown;
    try {
      parseEnv({ WATCHDOG_WEBHOOK_URL: "hooks.slack.com/x", WATCHDOG_ERROR_RATE: "50", WATCHDOG_DAILY_LOSS_LIMIT: "-1" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    const problems = (err as EnvError).problems.join("\n");
    expect(problems).toMatch(/WATCHDOG_WEBHOOK_URL=.*http:\/\/ or https:\/\/ URL/);
    expect(problems).toMatch(/WATCHDOG_ERROR_RATE=.*between 0 and 1/);
    expect(problems).toMatch(/WATCHDOG_DAILY_LOSS_LIMIT=.*above 0/);
  });
});
