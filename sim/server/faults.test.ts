import { describe, expect, it } from "vitest";
import { FaultInjector, malformBody } from "./faults";

describe("FaultInjector", () => {
  it("fires a counted rule only N times and only on matching paths", () => {
    const f = new FaultInjector(1);
    f.add({ kind: "http-5xx", count: 2, path: "/fapi/v1/order" });
    expect(f.decide("GET", "/fapi/v1/exchangeInfo", false).terminal).toBeNull();
    expect(f.decide("POST", "/fapi/v1/order", true).terminal?.kind).toBe("http-5xx");
    expect(f.decide("POST", "/fapi/v1/order", true).terminal?.kind).toBe("http-5xx");
    expect(f.decide("POST", "/fapi/v1/order", true).terminal).toBeNull();
  });

  it("rejects only order-placing requests, adds latencies, and clears", () => {
    const f = new FaultInjector(1);
    f.add({ kind: "reject", code: -1008, msg: "busy" });
    f.add({ kind: "latency", latencyMs: 30 });
    f.add({ kind: "latency", latencyMs: 20 });
    expect(f.decide("GET", "/fapi/v1/openOrders", false)).toMatchObject({ latencyMs: 50, terminal: null });
    expect(f.decide("POST", "/fapi/v1/order", true).terminal).toMatchObject({ kind: "reject", code: -1008 });
    f.clear();
    expect(f.decide("POST", "/fapi/v1/order", true)).toEqual({ latencyMs: 0, terminal: null });
  });

  it("applies a rate: about that share of requests, the same for the same seed", () => {
    const run = () => {
      const f = new FaultInjector(42);
      f.add({ kind: "rate-limit", rate: 0.3 });
      return Array.from({ length: 1000 }, () => f.decide("GET", "/x", false).terminal !== null);
    };
    const hits = run().filter(Boolean).length;
    expect(hits).toBeGreaterThan(240);
    expect(hits).toBeLessThan(360);
    expect(run()).toEqual(run());
  });

  it("refuses a malformed rule with a clear message", () => {
    const f = new FaultInjector(1);
    expect(() => f.add({ kind: "explode" } as never)).toThrow(/kind/);
    expect(() => f.add({ kind: "latency", rate: 2 })).toThrow(/rate/);
  });
});

describe("malformBody", () => {
  const answer = [{ symbol: "BTCUSDT", positionAmt: "0.5", entryPrice: "50000.0", leverage: 5, isolated: false }];

  it("truncate: the first half of the JSON text, which no JSON parser accepts", () => {
    const text = malformBody(answer, "truncate");
    expect(JSON.stringify(answer).startsWith(text)).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it("wrong-types: the same shape with every value of the wrong type", () => {
    expect(JSON.parse(malformBody(answer, "wrong-types"))).toEqual([
      { symbol: 12345, positionAmt: "not-a-number", entryPrice: "not-a-number", leverage: { not: "a number" }, isolated: "maybe" },
    ]);
  });

  it("is a rule kind the admin API accepts", () => {
    const f = new FaultInjector(1);
    expect(f.add({ kind: "malformed", malform: "wrong-types", path: "/fapi/v3/positionRisk" })).toMatchObject({ kind: "malformed", malform: "wrong-types" });
    expect(f.decide("GET", "/fapi/v3/positionRisk", false).terminal?.kind).toBe("malformed");
  });
});
