import { describe, expect, it } from "vitest";
import { AddressGuard } from "./address-guard";

describe("AddressGuard", () => {
  it("[SECURITY] refuses a fifth attempt in progress from one address, at once", () => {
    const g = new AddressGuard(4);
    const held = [1, 2, 3, 4].map(() => g.enter("203.0.113.1", "a@x", 0));
    expect(held.every((e) => e.ok)).toBe(true);
    expect(g.enter("203.0.113.1", "a@x", 0)).toEqual({ ok: false, retryAfterS: 1, reason: "busy" });
    expect(g.enter("203.0.113.2", "a@x", 0).ok).toBe(true); // another address is unaffected
    for (const e of held) if (e.ok) e.release();
    expect(g.enter("203.0.113.1", "a@x", 0).ok).toBe(true);
  });

  it("remembers a wait the database decided, and forgets it once over", () => {
    const g = new AddressGuard();
    g.delay("203.0.113.1", 10_000);
    expect(g.enter("203.0.113.1", "a@x", 2_500)).toEqual({ ok: false, retryAfterS: 8, reason: "delayed" });
    expect(g.enter("203.0.113.1", "a@x", 10_000).ok).toBe(true);
  });

  it("an account that signed in from that address before is not held up by the remembered wait", () => {
    const g = new AddressGuard();
    g.known("198.51.100.1", "op@x");
    g.delay("198.51.100.1", 60_000);
    expect(g.enter("198.51.100.1", "op@x", 0).ok).toBe(true);
    expect(g.enter("198.51.100.1", "other@x", 0).ok).toBe(false);
  });

  it("releasing twice counts once", () => {
    const g = new AddressGuard(1);
    const e = g.enter("a", "x", 0);
    if (e.ok) {
      e.release();
      e.release();
    }
    expect(g.enter("a", "x", 0).ok).toBe(true);
    expect(g.enter("a", "x", 0).ok).toBe(false);
  });
});
