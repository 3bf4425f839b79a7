import { describe, expect, it } from "vitest";
import { Simulator } from "./simulator";

describe("Simulator with the shipped candle sample", () => {
  it("starts with demo positions, moves prices on real candles, and is deterministic per seed", () => {
    const make = () => new Simulator({ startTime: 1_700_000_000_000, seed: 3 });
    const a = make();
    expect(a.symbols().sort()).toEqual(["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"]);
    expect(a.engine.book.all().length).toBeGreaterThan(0); // the demo trader acts at once
    const before = a.feed.price("BTCUSDT");
    a.advance(60 * 60_000);
    expect(a.feed.price("BTCUSDT")).not.toBe(before);
    const b = make();
    b.advance(60 * 60_000);
    const view = (s: Simulator) => s.engine.book.all().map((p) => [p.symbol, p.amt, p.entryPrice]);
    expect(view(b)).toEqual(view(a));
  });

  it("runs without the demo trader and on a random walk", () => {
    const s = new Simulator({ randomWalk: { symbols: ["BTCUSDT"], intervalMs: 60_000 }, demoTrader: false, startTime: 0 + 1e12 });
    expect(s.engine.book.all()).toEqual([]);
    expect(s.feed.price("BTCUSDT")).toBeGreaterThan(0);
  });
});
