import { describe, expect, it } from "vitest";
import type { Candle } from "../market/types";
import { buildPricePath, ohlcPathPoints } from "./price-path";

const c = (openTime: number, open: number, high: number, low: number, close: number): Candle => ({ openTime, open, high, low, close, volume: 1 });

describe("OHLC path model", () => {
  it("goes open -> nearer extreme -> farther extreme -> close, in steps no larger than maxStepPct", () => {
    const out: number[] = [];
    ohlcPathPoints(c(0, 100, 100.2, 99, 99.5), 0.1, out); // high is nearer the open
    expect(out[0]).toBe(100);
    const iHigh = out.indexOf(100.2);
    const iLow = out.indexOf(99);
    expect(iHigh).toBeGreaterThan(0);
    expect(iLow).toBeGreaterThan(iHigh);
    expect(out.at(-1)).toBe(99.5);
    for (let k = 1; k < out.length; k++) expect(Math.abs(out[k]! - out[k - 1]!)).toBeLessThanOrEqual(0.1 + 1e-9);
    const lowFirst: number[] = [];
    ohlcPathPoints(c(0, 100, 101, 99.9, 100.5), 1, lowFirst);
    expect(lowFirst.indexOf(99.9)).toBeLessThan(lowFirst.indexOf(101));
  });

  it("a flat candle is one point", () => {
    const out: number[] = [];
    ohlcPathPoints(c(0, 5, 5, 5, 5), 0.01, out);
    expect(out).toEqual([5]);
  });
});

describe("buildPricePath", () => {
  const coarse = [c(0, 100, 102, 99, 101), c(300_000, 101, 101.5, 100, 100.2)];
  // five 1m candles tiling the first 5m candle: the low comes after the high
  const fine = [c(0, 100, 101, 100, 101), c(60_000, 101, 102, 101, 101.5), c(120_000, 101.5, 101.5, 99, 99.5), c(180_000, 99.5, 100.5, 99.5, 100.5), c(240_000, 100.5, 101, 100.5, 101)];

  it("paths a candle through finer candles that tile it, and the rest by the model", () => {
    const p = buildPricePath(coarse, 300_000, 0.5, { candles: fine, intervalMs: 60_000 });
    expect(p.finerBars).toBe(1);
    const first = Array.from(p.prices.subarray(p.barStart[0]!, p.barStart[1]!));
    // OHLC model alone would visit the low (99) before the high (102): the finer candles say otherwise
    expect(first.indexOf(102)).toBeLessThan(first.indexOf(99));
    expect(first.at(-1)).toBe(101);
    expect(p.times[p.barStart[1]! - 1]).toBe(300_000);
    expect(p.barStart[2]).toBe(p.prices.length);
  });

  it("ignores finer candles that disagree with the candle", () => {
    const wrong = fine.map((f, i) => (i === 2 ? { ...f, low: 90 } : f));
    expect(buildPricePath(coarse, 300_000, 0.5, { candles: wrong, intervalMs: 60_000 }).finerBars).toBe(0);
  });
});
