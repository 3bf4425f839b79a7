import { describe, expect, it } from "vitest";
import type { Candle } from "../market/types";
import { atrFromCandles, trueRange } from "./atr";
import { intervalScale, marketSnapshotFromCandles, timeScaledAtr } from "./market-snapshot";

const candle = (i: number, o: number, h: number, l: number, c: number): Candle => ({ openTime: i * 60_000, open: o, high: h, low: l, close: c, volume: 1 });

describe("ATR", () => {
  it("true range includes gaps from the previous close", () => {
    expect(trueRange(105, 100, Number.NaN)).toBe(5);
    expect(trueRange(105, 100, 110)).toBe(10);
    expect(trueRange(105, 100, 95)).toBe(10);
  });

  it("is the constant range for a series of equal ranges, NaN before the period", () => {
    const cs = Array.from({ length: 30 }, (_, i) => candle(i, 100, 102, 98, 100));
    expect(atrFromCandles(cs, 14)).toBeCloseTo(4, 12);
    expect(atrFromCandles(cs.slice(0, 13), 14)).toBeNaN();
  });

  it("smooths with weight 1/period after seeding, and the incremental snapshot agrees", () => {
    const cs = Array.from({ length: 14 }, (_, i) => candle(i, 100, 101, 99, 100));
    cs.push(candle(14, 100, 116, 100, 100)); // range 16
    expect(atrFromCandles(cs, 14)).toBeCloseTo((2 * 13 + 16) / 14, 12);
    expect(marketSnapshotFromCandles(cs, 14).atr).toBeCloseTo(atrFromCandles(cs, 14), 12);
    const m = marketSnapshotFromCandles(cs, 14);
    expect([m.lastClose, m.prevClose, m.count]).toEqual([100, 100, 15]);
  });

  it("infers the candle interval from open times (the smallest step, so a gap does not inflate it)", () => {
    const cs = Array.from({ length: 20 }, (_, i) => candle(i < 10 ? i : i + 5, 100, 101, 99, 100));
    const m = marketSnapshotFromCandles(cs, 14);
    expect(m.intervalMs).toBe(60_000);
    expect(m.lastOpenTime).toBe(24 * 60_000);
    expect(marketSnapshotFromCandles(cs.slice(0, 1), 14).intervalMs).toBeNaN();
  });

  it("rescales the ATR to a reference interval by the square root of time", () => {
    const m = marketSnapshotFromCandles(Array.from({ length: 20 }, (_, i) => candle(i, 100, 101, 99, 100)), 14); // 1m, ATR 2
    expect(timeScaledAtr(m, 300_000)).toBeCloseTo(2 * Math.sqrt(5), 12);
    expect(timeScaledAtr(m, 60_000)).toBeCloseTo(2, 12);
    expect(timeScaledAtr(m, 0)).toBe(2);
    expect(intervalScale(m, 240_000)).toBeCloseTo(0.5, 12);
    expect(timeScaledAtr({ ...m, intervalMs: undefined }, 300_000)).toBe(2); // hand-built snapshot: unknown interval, raw ATR
  });
});
