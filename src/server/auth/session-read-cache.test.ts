import { describe, expect, it } from "vitest";
import { isReadMethod, SessionReadCache } from "./session-read-cache";

const alice = { id: "a", email: "alice@example.com", name: null, role: "operator" as const };
const bob = { id: "b", email: "bob@example.com", name: null, role: "viewer" as const };

describe("SessionReadCache", () => {
  it("serves a resolved user for less than the TTL, then forgets it", () => {
    let t = 0;
    const c = new SessionReadCache(() => t, 1_000);
    expect(c.get("cookie-a")).toBeNull();
    c.set("cookie-a", alice);
    t = 999;
    expect(c.get("cookie-a")).toEqual(alice);
    t = 1_000;
    expect(c.get("cookie-a")).toBeNull();
    expect(c.size).toBe(0);
  });

  it("keeps different cookies apart and stays bounded", () => {
    const c = new SessionReadCache(() => 0, 1_000);
    c.set("cookie-a", alice);
    c.set("cookie-b", bob);
    expect(c.get("cookie-b")).toEqual(bob);
    for (let i = 0; i < 1_500; i++) c.set(`cookie-${i}`, bob);
    expect(c.size).toBe(1_000);
    expect(c.get("cookie-a")).toBeNull(); // the oldest went first
  });

  it("only GET and HEAD are reads", () => {
    expect(["GET", "HEAD"].map(isReadMethod)).toEqual([true, true]);
    expect(["POST", "PUT", "PATCH", "DELETE", "", null, undefined].map(isReadMethod)).toEqual([false, false, false, false, false, false, false]);
  });
});
