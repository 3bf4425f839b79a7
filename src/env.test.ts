import { describe, expect, it } from "vitest";
import { databaseUrl, EnvError, parseEnv } from "./env.js";

describe("parseEnv", () => {
  it("gives documented defaults for an empty environment", () => {
    const e = parseEnv({});
    expect(e.EXCHANGE).toBe("sim");
    expect(e.WEB_PORT).toBe(3000);
    expect(e.EXIT_BRAIN_INTERVAL_S).toBe(10);
    expect(e.LOG_FILE).toBe("logs/exit_brain.log");
    // the embedded server's runtime role; no hard-coded password (it is generated on first start)
    expect(parseEnv({ DATA_DIR: "/nonexistent-eb" }).DATA_DIR).toBe("/nonexistent-eb");
    expect(databaseUrl(parseEnv({ DATA_DIR: "/nonexistent-eb" }))).toBe("postgresql://exit_brain_app@127.0.0.1:54329/exit_brain");
  });

  it("treats an empty value as unset", () => {
    expect(parseEnv({ WEB_PORT: "", EXCHANGE: "" }).WEB_PORT).toBe(3000);
  });

  it("names the variable, the value and the allowed values", () => {
    let err: unknown;
    try {
      parseEnv({ EXCHANGE: "kraken", WEB_PORT: "http" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    const msg = (err as Error).message;
    expect(msg).toContain(`EXCHANGE="kraken": must be one of sim, binance, binance-demo`);
    expect(msg).toContain(`WEB_PORT="http": must be a number`);
  });

  it("never echoes a secret value", () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error("expected an EnvError");
    };
    const m1 = message(() => parseEnv({ DATABASE_URL: "mysql://u:hunter2@x/db" }));
    expect(m1).toMatch(/DATABASE_URL="mysql:\/\/u:\*\*\*@x\/db": must be a postgresql:\/\/ URL/);
    expect(m1).not.toContain("hunter2");
    const m2 = message(() => parseEnv({ WEB_PORT: "x", BINANCE_API_SECRET: "", REQUIRE_LIVE_APPROVAL: "maybe" }));
    expect(m2).toContain("REQUIRE_LIVE_APPROVAL");
  });

  it("keeps toggle ceilings as raw words (validated by the toggle rules, not here)", () => {
    expect(parseEnv({ EXIT_MODE: "exit_brain_v3" }).EXIT_MODE).toBe("exit_brain_v3");
    expect(parseEnv({ EXIT_MODE: "nonsense" }).EXIT_MODE).toBe("nonsense");
  });
});
