import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientOrderIdFor, isValidClientOrderId } from "./client-order-id";

describe("clientOrderIdFor", () => {
  it("is deterministic, at most 36 chars, in Binance's charset, for any input", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ""), (id) => {
        const a = clientOrderIdFor(id);
        expect(a).toBe(clientOrderIdFor(id));
        expect(a.length).toBeLessThanOrEqual(36);
        expect(isValidClientOrderId(a)).toBe(true);
      }),
    );
  });

  it("differs for different caller ids", () => {
    const ids = new Set(Array.from({ length: 2000 }, (_, i) => clientOrderIdFor(`decision-${i}`)));
    expect(ids.size).toBe(2000);
  });

  it("refuses an empty caller id", () => {
    expect(() => clientOrderIdFor(" ")).toThrow(/empty/);
  });

  it("rejects ids Binance would refuse", () => {
    expect(isValidClientOrderId("a".repeat(37))).toBe(false);
    expect(isValidClientOrderId("has space")).toBe(false);
    expect(isValidClientOrderId("eb-ok_1:2/3.4")).toBe(true);
  });
});
