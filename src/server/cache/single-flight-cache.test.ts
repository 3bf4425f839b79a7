import { describe, expect, it } from "vitest";
import { SingleFlightCache } from "./single-flight-cache";

function setup(ttlMs = 500, maxStaleMs = 2000) {
  let t = 0;
  let n = 0;
  const pending: (() => void)[] = [];
  const cache = new SingleFlightCache(
    () => new Promise<number>((res) => pending.push(() => res(++n))),
    { ttlMs, maxStaleMs, now: () => t },
  );
  return { cache, advance: (ms: number) => (t += ms), settle: () => pending.splice(0).forEach((f) => f()), count: () => n };
}

describe("SingleFlightCache", () => {
  it("concurrent callers share one computation; a fresh value is served without computing", async () => {
    const s = setup();
    const all = Promise.all([s.cache.get(1), s.cache.get(1), s.cache.get(1)]);
    s.settle();
    expect(await all).toEqual([1, 1, 1]);
    s.advance(499);
    expect(await s.cache.get(1)).toBe(1);
    expect(s.cache.stats.computations).toBe(1);
  });

  it("serves a stale value at once while one refresh runs; too old waits", async () => {
    const s = setup();
    const first = s.cache.get(1);
    s.settle();
    await first;
    s.advance(600);
    expect(await s.cache.get(1)).toBe(1); // stale, refresh started
    expect(await s.cache.get(1)).toBe(1); // still stale, no second refresh
    expect(s.cache.stats.computations).toBe(2);
    s.settle();
    await new Promise((r) => setImmediate(r));
    expect(await s.cache.get(1)).toBe(2);
    s.advance(5000);
    const slow = s.cache.get(1);
    s.settle();
    expect(await slow).toBe(3);
  });

  it("another version, or invalidate(), never serves the old value nor an in-flight result started before", async () => {
    const s = setup();
    const a = s.cache.get(1);
    s.settle();
    await a;
    const b = s.cache.get(2); // the toggle version moved: must wait
    s.settle();
    expect(await b).toBe(2);
    const c = s.cache.get(3);
    s.cache.invalidate();
    const d = s.cache.get(3);
    s.settle();
    expect(await c).toBe(3);
    expect(await d).toBe(4);
    expect(await s.cache.get(3)).toBe(4);
  });
});
