import { describe, expect, it } from "vitest";
import type { Candle } from "../market/types";
import { legacyExitOf, type LegacyExitInput } from "./legacy-return";

const TF = 300_000;
const T0 = 1_700_000_000_000;
const candle = (k: number, high: number, low: number): Candle => ({ openTime: T0 + k * TF, open: (high + low) / 2, high, low, close: (high + low) / 2, volume: 1 });
const base: LegacyExitInput = { side: "long", entryPrice: 100, reductions: [], lastMark: 101, lastSeenAt: T0 + TF + 10, resting: [], candles: [] };

describe("legacyExitOf", () => {
  it("without a crossed resting order, the close is the last mark seen open", () => {
    const r = legacyExitOf({ ...base, candles: [candle(1, 101.5, 100.5)] }, TF);
    expect(r).toMatchObject({ exitPrice: 101 });
    expect(r.returnPct).toBeCloseTo(1, 9);
    expect(r.exit).toMatch(/last mark 101/);
  });

  it("a resting legacy stop crossed after the last sighting fills at its trigger (stop before take-profit)", () => {
    const resting = [{ kind: "tp" as const, triggerPrice: 104 }, { kind: "sl" as const, triggerPrice: 98 }];
    const r = legacyExitOf({ ...base, resting, candles: [candle(0, 200, 1), candle(1, 104.5, 97)] }, TF);
    expect(r.exitPrice).toBe(98);
    expect(r.exit).toBe("legacy stop @ 98");
    expect(r.returnPct).toBeCloseTo(-2, 9);
  });

  it("candles before the last sighting do not count, and a take-profit alone is found", () => {
    const resting = [{ kind: "tp" as const, triggerPrice: 104 }];
    const r = legacyExitOf({ ...base, resting, candles: [candle(0, 110, 90), candle(1, 101.5, 100.5), candle(2, 104.2, 101)] }, TF);
    expect(r.exit).toBe("legacy take-profit @ 104");
  });

  it("partial closes seen as size drops are weighted into the return (short)", () => {
    const r = legacyExitOf({ ...base, side: "short", lastMark: 97, reductions: [{ fraction: 0.5, price: 95 }] }, TF);
    expect(r.returnPct).toBeCloseTo(0.5 * 5 + 0.5 * 3, 9);
    expect(r.exit).toMatch(/after 1 partial close/);
  });
});
