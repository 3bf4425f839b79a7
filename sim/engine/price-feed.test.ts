import { describe, expect, it } from "vitest";
import type { Candle } from "../../src/core/market/types";
import { RandomWalkSeries, ReplaySeries } from "./candle-series";
import { PriceFeed } from "./price-feed";
import { SimClock } from "./sim-clock";

const I = 300_000;
const candles: Candle[] = [
  { openTime: 0, open: 100, high: 110, low: 95, close: 105, volume: 1 }, // bullish: 100 → 95 → 110 → 105
  { openTime: I, open: 105, high: 106, low: 90, close: 92, volume: 2 }, // bearish: 105 → 106 → 90 → 92
  { openTime: 2 * I, open: 92, high: 93, low: 91, close: 92, volume: 3 },
];

function feedAt(startIndex: number) {
  const clock = new SimClock(10 * I);
  const feed = new PriceFeed(clock);
  feed.add(new ReplaySeries("TESTUSDT", I, candles), 0.01, startIndex);
  return { clock, feed };
}

describe("PriceFeed", () => {
  it("walks open → low → high → close through a bullish candle", () => {
    const { clock, feed } = feedAt(0);
    const t0 = clock.now();
    expect([0, 1 / 3, 2 / 3].map((f) => feed.price("TESTUSDT", t0 + f * I))).toEqual([100, 95, 110]);
    expect(feed.price("TESTUSDT", t0 + I / 6)).toBe(97.5);
  });

  it("reports every corner of the path so a crossing is never skipped", () => {
    const { clock, feed } = feedAt(0);
    const t0 = clock.now();
    expect(feed.pathPrices("TESTUSDT", t0, t0 + 2 * I)).toEqual([95, 110, 105, 106, 90, 92]);
  });

  it("serves klines with the open candle partial, and aggregates to longer intervals", () => {
    const { clock, feed } = feedAt(1);
    clock.advance(I / 2); // halfway through candle 1
    const k = feed.klines("TESTUSDT", I, { limit: 10 });
    expect(k).toHaveLength(2);
    expect(k[0]).toMatchObject({ open: 100, high: 110, low: 95, close: 105 });
    expect(k[1]).toMatchObject({ open: 105, high: 106, close: 98 });
    const agg = feed.klines("TESTUSDT", 2 * I, { limit: 10 });
    expect(agg.at(-1)).toMatchObject({ open: 100, high: 110, low: 95, close: 98 });
  });

  it("set price rescales the series from now on", () => {
    const { feed } = feedAt(0);
    feed.setPrice("TESTUSDT", 200);
    expect(feed.price("TESTUSDT")).toBe(200);
  });

  it("loops a replay, continuing from the last close", () => {
    const s = new ReplaySeries("TESTUSDT", I, candles);
    expect(s.candle(3).open).toBeCloseTo(100 * (92 / 100), 8);
  });

  it("random walk: same seed, same candles", () => {
    const a = new RandomWalkSeries("BTCUSDT", I, 60_000, 7);
    const b = new RandomWalkSeries("BTCUSDT", I, 60_000, 7);
    expect(a.candle(50)).toEqual(b.candle(50));
    expect(a.candle(50)).not.toEqual(new RandomWalkSeries("BTCUSDT", I, 60_000, 8).candle(50));
  });
});
