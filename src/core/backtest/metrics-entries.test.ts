import { describe, expect, it } from "vitest";
import { entriesAtTimes, randomEntries } from "./entries";
import { computeMetrics } from "./metrics";
import { MIN, series } from "./testing/candles";
import type { TradeResult } from "./types";

const trade = (ret: number, i: number): TradeResult => ({ entryIndex: i, exitIndex: i + 2, side: "long", ret, initialRisk: 0.01, closeType: ret > 0 ? "TAKE_PROFIT" : "STOP_LOSS", partialFills: 0 });

describe("computeMetrics", () => {
  it("computes win rate, return, R, drawdown and Sharpe from per-trade returns", () => {
    const m = computeMetrics("x", [0.02, -0.01, -0.01, 0.03].map(trade), 0.5);
    expect(m.trades).toBe(4);
    expect(m.winRate).toBe(0.5);
    expect(m.totalReturn).toBeCloseTo(0.015, 12);
    expect(m.avgR).toBeCloseTo(0.75, 12);
    // equity 1.01 -> 1.005 -> 1.0 : drawdown 0.01 / 1.01
    expect(m.maxDrawdown).toBeCloseTo(0.01 / 1.01, 12);
    const mean = 0.0075;
    const sd = Math.sqrt([0.02, -0.01, -0.01, 0.03].reduce((s, r) => s + (r - mean) ** 2, 0) / 3);
    expect(m.sharpe).toBeCloseTo(mean / sd, 12);
    expect(m.exitsByType).toMatchObject({ TAKE_PROFIT: 2, STOP_LOSS: 2, TRAILING_STOP: 0 });
  });
});

describe("entries", () => {
  it("random entries are seeded, sorted, after the warm-up and before the last candle", () => {
    const a = randomEntries(200, 100, 5, 20);
    expect(randomEntries(200, 100, 5, 20)).toEqual(a);
    expect(a.every((e, i) => e.index >= 20 && e.index <= 98 && (i === 0 || e.index >= a[i - 1]!.index))).toBe(true);
    expect(new Set(a.map((e) => e.side)).size).toBe(2);
  });

  it("maps times to the first candle at or after them and counts those outside", () => {
    const candles = series(10, 100, []);
    const r = entriesAtTimes([{ time: 3 * MIN, side: "long" }, { time: 4.5 * MIN, side: "short" }, { time: 99 * MIN, side: "long" }, { time: -5, side: "long" }], candles);
    expect(r.entries).toEqual([{ index: 3, side: "long" }, { index: 5, side: "short" }]);
    expect(r.outside).toBe(2);
  });
});
