import { describe, expect, it } from "vitest";
import { closedCandles } from "./market-snapshot";

const c = (openTime: number) => ({ openTime, open: 1, high: 1, low: 1, close: 1, volume: 1 });

describe("closedCandles", () => {
  it("drops the candle still forming at `now`, keeps those that closed", () => {
    const xs = [c(0), c(60_000), c(120_000)];
    expect(closedCandles(xs, 150_000, 60_000).map((x) => x.openTime)).toEqual([0, 60_000]);
    expect(closedCandles(xs, 180_000, 60_000)).toBe(xs); // the last one closed exactly now
    expect(closedCandles(xs, 30_000, 60_000)).toEqual([]);
  });
});
