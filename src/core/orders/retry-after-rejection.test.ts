import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../retry/backoff";
import { RetryAfterRejection } from "./retry-after-rejection";

const backoff = { firstMs: 1_000, maxMs: 4_000 };

describe("retryDelayMs", () => {
  it("doubles from the first delay and stops at the cap", () => {
    expect([0, 1, 2, 3, 4, 50].map((n) => retryDelayMs(n, backoff))).toEqual([0, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });
});

describe("RetryAfterRejection", () => {
  it("submits the base id until something is refused", () => {
    const r = new RetryAfterRejection(backoff);
    expect(r.retryIdFor("sl:BTC", 0)).toBe("sl:BTC");
    r.record("sl:BTC", "BTC", "placed", 0);
    expect(r.retryIdFor("sl:BTC", 0)).toBe("sl:BTC");
    expect(r.size).toBe(0);
  });

  it("after a refusal waits for the back-off, then offers a new id per refusal", () => {
    const r = new RetryAfterRejection(backoff);
    r.record("sl:BTC", "BTC", "rejected", 10_000);
    expect(r.retryIdFor("sl:BTC", 10_999)).toBeNull();
    expect(r.retryIdFor("sl:BTC", 11_000)).toBe("sl:BTC:retry1");
    r.record("sl:BTC", "BTC", "rejected", 11_000);
    expect(r.retryIdFor("sl:BTC", 12_999)).toBeNull();
    expect(r.retryIdFor("sl:BTC", 13_000)).toBe("sl:BTC:retry2");
    r.record("sl:BTC", "BTC", "placed", 13_000);
    expect(r.retryIdFor("sl:BTC", 13_000)).toBe("sl:BTC");
  });

  it("only an explicit rejection earns a new id: a failed attempt may exist on the exchange, a blocked one is the toggles' call", () => {
    const r = new RetryAfterRejection(backoff);
    for (const outcome of ["failed", "blocked", "pending", "placed"]) {
      r.record("sl:BTC", "BTC", outcome, 0);
      expect(r.retryIdFor("sl:BTC", 60_000)).toBe("sl:BTC");
    }
    r.record("sl:BTC", "BTC", "rejected", 0);
    r.record("sl:BTC", "BTC", "blocked", 0);
    expect(r.retryIdFor("sl:BTC", 0)).toBe("sl:BTC");
  });

  it("keeps ids of different orders apart and forgets positions that are gone", () => {
    const r = new RetryAfterRejection(backoff);
    r.record("sl:BTC", "BTC", "rejected", 0);
    r.record("sl:ETH", "ETH", "rejected", 0);
    expect(r.retryIdFor("tp:BTC", 0)).toBe("tp:BTC");
    r.forgetGroupsExcept(new Set(["ETH"]));
    expect(r.retryIdFor("sl:BTC", 0)).toBe("sl:BTC");
    expect(r.retryIdFor("sl:ETH", 0)).toBeNull();
    r.forgetGroup("ETH");
    expect(r.size).toBe(0);
  });
});
