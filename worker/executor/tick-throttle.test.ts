import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LeadingThrottle } from "./tick-throttle";

describe("LeadingThrottle (price-tick debounce, leading edge)", () => {
  let runs: string[];
  let windowMs: number;
  let t: LeadingThrottle;

  beforeEach(() => {
    vi.useFakeTimers();
    runs = [];
    windowMs = 200;
    t = new LeadingThrottle((k) => runs.push(k), () => windowMs);
  });
  afterEach(() => {
    t.clear();
    vi.useRealTimers();
  });

  it("runs the first tick at once, not at the end of the window", () => {
    t.hit("BTCUSDT");
    expect(runs).toEqual(["BTCUSDT"]);
  });

  it("folds a burst into one more run at the end of the window", () => {
    t.hit("BTCUSDT");
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(10);
      t.hit("BTCUSDT");
    }
    expect(runs).toEqual(["BTCUSDT"]);
    vi.advanceTimersByTime(99); // 199 ms since the first tick
    expect(runs).toEqual(["BTCUSDT"]);
    vi.advanceTimersByTime(1); // end of the window: the latest price is evaluated
    expect(runs).toEqual(["BTCUSDT", "BTCUSDT"]);
  });

  it("runs at most once per window while ticks keep coming", () => {
    for (let ms = 0; ms < 1000; ms += 20) {
      t.hit("BTCUSDT");
      vi.advanceTimersByTime(20);
    }
    // leading run at 0, then one at the end of each of the 5 windows (200, 400, 600, 800, 1000)
    expect(runs).toHaveLength(6);
  });

  it("does not run at the end of a window without ticks, and the next tick runs at once again", () => {
    t.hit("BTCUSDT");
    vi.advanceTimersByTime(500);
    expect(runs).toHaveLength(1);
    expect(t.openWindows()).toBe(0);
    t.hit("BTCUSDT");
    expect(runs).toHaveLength(2);
  });

  it("keeps one window per symbol", () => {
    t.hit("BTCUSDT");
    t.hit("ETHUSDT");
    t.hit("BTCUSDT");
    expect(runs).toEqual(["BTCUSDT", "ETHUSDT"]);
    vi.advanceTimersByTime(200);
    expect(runs).toEqual(["BTCUSDT", "ETHUSDT", "BTCUSDT"]);
  });

  it("with a window of 0 runs every tick at once", () => {
    windowMs = 0;
    t.hit("BTCUSDT");
    t.hit("BTCUSDT");
    t.hit("BTCUSDT");
    expect(runs).toEqual(["BTCUSDT", "BTCUSDT", "BTCUSDT"]);
    expect(t.openWindows()).toBe(0);
  });

  it("clear() drops pending runs", () => {
    t.hit("BTCUSDT");
    t.hit("BTCUSDT");
    t.clear();
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(["BTCUSDT"]);
  });
});
