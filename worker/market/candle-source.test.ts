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

describe("CandleSource with a kline stream", () => {
  const c = (openTime: number): Candle => ({ openTime, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 });
  function fakeStream() {
    const listeners: Record<string, ((...a: never[]) => void)[]> = {};
    const subscribed: string[] = [];
    return {
      subscribed,
      connectedNow: true,
      subscribe(symbol: string, interval: string) {
        subscribed.push(`${symbol}@${interval}`);
      },
      connected() {
        return this.connectedNow;
      },
      on(event: string, fn: (...a: never[]) => void) {
        (listeners[event] ??= []).push(fn);
        return this;
      },
      emit(event: string, ...args: unknown[]) {
        for (const fn of listeners[event] ?? []) (fn as (...a: unknown[]) => void)(...args);
      },
    };
  }

  it("backfills closed candles once, appends each closed candle, and backfills again after a reconnect or a hole", async () => {
    const M5 = 300_000;
    let restCalls = 0;
    let newestOpen = 10 * M5; // the open candle REST ends with
    const port = {
      fetchCandles: async (_s: string, _tf: string, limit: number): Promise<Candle[]> => {
        restCalls += 1;
        return Array.from({ length: limit }, (_, i) => c(newestOpen - (limit - 1 - i) * M5));
      },
    };
    const stream = fakeStream();
    const source = new CandleSource(port, { now: () => 0 }, stream as never);
    const first = await source.recent("BTCUSDT", "5m", 3);
    expect(first.map((x) => x.openTime)).toEqual([7 * M5, 8 * M5, 9 * M5]); // the open one (10) dropped
    expect(stream.subscribed).toEqual(["BTCUSDT@5m"]);
    expect(await source.recent("BTCUSDT", "5m", 3)).toBe(first);

    stream.emit("closed", "BTCUSDT", "5m", c(10 * M5));
    expect((await source.recent("BTCUSDT", "5m", 3)).map((x) => x.openTime)).toEqual([8 * M5, 9 * M5, 10 * M5]);
    stream.emit("closed", "BTCUSDT", "5m", c(10 * M5)); // a repeat changes nothing
    expect(restCalls).toBe(1);

    stream.emit("closed", "BTCUSDT", "5m", c(12 * M5)); // 11 missing: a hole
    newestOpen = 13 * M5;
    expect((await source.recent("BTCUSDT", "5m", 3)).map((x) => x.openTime)).toEqual([10 * M5, 11 * M5, 12 * M5]);
    expect(restCalls).toBe(2);

    stream.emit("connected"); // reconnected: candles may have closed meanwhile
    newestOpen = 15 * M5;
    expect((await source.recent("BTCUSDT", "5m", 3)).map((x) => x.openTime)).toEqual([12 * M5, 13 * M5, 14 * M5]);
    expect(restCalls).toBe(3);
  });
});
