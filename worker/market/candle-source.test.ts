import { describe, expect, it } from "vitest";
import type { Candle } from "../../src/core/market/types";
import { CandleSource } from "./candle-source";

describe("CandleSource", () => {
  it("serves from cache until the next candle should open, then refetches", async () => {
    let now = 1_000_000;
    let calls = 0;
    const port = {
      fetchCandles: async (): Promise<Candle[]> => {
        calls += 1;
        const open = Math.floor(now / 300_000) * 300_000;
        return [{ openTime: open, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }];
      },
    };
    const source = new CandleSource(port, { now: () => now });
    await source.recent("BTCUSDT", "5m", 10);
    now += 1000;
    await source.recent("BTCUSDT", "5m", 10);
    expect(calls).toBe(1);
    now = Math.floor(now / 300_000) * 300_000 + 300_000;
    await source.recent("BTCUSDT", "5m", 10);
    expect(calls).toBe(2);
  });

  it("names the supported timeframes when given another", async () => {
    const source = new CandleSource({ fetchCandles: async () => [] }, { now: () => 0 });
    await expect(source.recent("BTCUSDT", "7m", 10)).rejects.toThrow(/7m is not supported; use one of 1m/);
  });
});
