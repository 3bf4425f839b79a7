import { describe, expect, it } from "vitest";
import { createCcxtClient } from "./ccxt-client";

describe("createCcxtClient: ccxt's client-side throttle", () => {
  it("is on for Binance (mainnet and demo): it keeps the worker under Binance's per-IP weight limits", async () => {
    for (const mode of ["binance", "binance-demo"] as const) {
      const ex = await createCcxtClient({ mode, apiKey: "k", secret: "s" });
      expect(ex.enableRateLimit).toBe(true);
      await ex.close();
    }
  });

  it("is off for the local simulator, which has no limit (the throttle only queued requests)", async () => {
    const ex = await createCcxtClient({ mode: "sim", apiKey: "k", secret: "s", simUrl: "http://127.0.0.1:1" });
    expect(ex.enableRateLimit).toBe(false);
    await ex.close();
  });
});
