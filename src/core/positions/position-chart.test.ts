import { describe, expect, it } from "vitest";
import { foldCandles, levelAt, pnlPctOf, realizedOf } from "./position-chart";

const candle = (i: number, close = 100 + i) => ({ openTime: i * 300_000, open: close - 1, high: close + 2, low: close - 3, close, volume: 1 });

describe("position chart", () => {
  it("folds candles into at most maxBars bars, keeping open, extremes and close", () => {
    const candles = Array.from({ length: 10_000 }, (_, i) => candle(i));
    const bars = foldCandles(candles, 500);
    expect(bars.length).toBeLessThanOrEqual(500);
    expect(bars[0]).toEqual({ t: 0, open: 99, high: 100 + 19 + 2, low: 97, close: 119 });
    expect(bars.at(-1)!.close).toBe(100 + 9_999);
    expect(foldCandles(candles.slice(0, 10), 500)).toHaveLength(10);
    expect(foldCandles([], 10)).toEqual([]);
  });

  it("a level is the last one set at or before each bar's end, null before the first", () => {
    const pts = [{ at: 10, price: 1 }, { at: 20, price: 2 }];
    expect(levelAt(pts, [5, 10, 15, 20, 30])).toEqual([null, 1, 1, 2, 2]);
  });

  it("realized P&L: long sells above entry gain, shorts gain below; fees subtract", () => {
    expect(realizedOf("long", 100, [{ price: 110, quantity: 2, fee: 0.5 }])).toBeCloseTo(19.5);
    expect(realizedOf("short", 100, [{ price: 90, quantity: 1, fee: null }])).toBeCloseTo(10);
    expect(pnlPctOf("short", 200, 190)).toBeCloseTo(5);
    expect(pnlPctOf("long", 0, 190)).toBe(0);
  });
});
