import { describe, expect, it } from "vitest";
import { WeightLimiter } from "./weight-limiter";

describe("WeightLimiter (Binance's per-IP request weight)", () => {
  it("only counts without a limit", () => {
    const w = new WeightLimiter({}, () => 60_000);
    for (let i = 0; i < 100; i++) expect(w.admit("a", 40, "GET /fapi/v1/openOrders").kind).toBe("ok");
    expect(w.usage()).toEqual({ a: 4000 });
    expect(w.stats()).toMatchObject({ requests: 100, answered429: 0, weightByEndpoint: { "GET /fapi/v1/openOrders": 4000 } });
  });

  it("answers 429 past the limit, then bans (418) a caller that keeps sending, per IP and per minute", () => {
    let now = 60_000;
    const w = new WeightLimiter({ limit: 100, banAfter429s: 2, banMs: 120_000 }, () => now);
    expect(w.admit("a", 60)).toEqual({ kind: "ok", used: 60 });
    expect(w.admit("a", 40)).toEqual({ kind: "ok", used: 100 });
    expect(w.admit("a", 1)).toMatchObject({ kind: "rate-limited", used: 100, retryAfterS: 60 });
    expect(w.admit("b", 5)).toEqual({ kind: "ok", used: 5 }); // another IP is not affected
    now += 30_000;
    expect(w.admit("a", 1)).toMatchObject({ kind: "rate-limited", retryAfterS: 30 });
    expect(w.admit("a", 1)).toMatchObject({ kind: "banned", retryAfterS: 120 });
    now += 60_000; // a new minute, but still banned
    expect(w.admit("a", 1).kind).toBe("banned");
    now += 60_000;
    expect(w.admit("a", 1)).toEqual({ kind: "ok", used: 1 });
  });

  it("a caller that backs off after a 429 is not banned", () => {
    let now = 0;
    const w = new WeightLimiter({ limit: 10, banAfter429s: 1 }, () => now);
    w.admit("a", 10);
    expect(w.admit("a", 1).kind).toBe("rate-limited");
    now = 60_000;
    expect(w.admit("a", 1).kind).toBe("ok");
    expect(w.admit("a", 10).kind).toBe("rate-limited");
  });
});
