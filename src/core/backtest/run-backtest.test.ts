import { describe, expect, it } from "vitest";
import { defaultExitBrainParams, parseExitBrainParams } from "../exit-brain/params";
import { brainPolicy } from "./brain-policy";
import { randomEntries } from "./entries";
import { legacyPolicy } from "./legacy-policy";
import { runBacktest } from "./run-backtest";
import { MIN, series } from "./testing/candles";
import { FillConfigSchema, type Entry } from "./types";

const noCosts = FillConfigSchema.parse({ takerFeePct: 0, makerFeePct: 0, slippagePct: 0 });
const pm = legacyPolicy({ module: "position_monitor", params: { stopLossPct: 1.5, takeProfitPct: 3 } });
const long: Entry[] = [{ index: 19, side: "long" }];
const run = (rows: Parameters<typeof series>[2], cfg = noCosts, entries = long) => runBacktest({ candles: series(20, 100, rows), entries, intervalMs: MIN, cfg }, pm);

describe("runBacktest with known outcomes (position_monitor: SL 1.5%, TP 3%)", () => {
  it("fills the take-profit at its price", () => {
    const { trades, metrics } = run([[100, 103.5, 99.8, 103.2]]);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ closeType: "TAKE_PROFIT", entryIndex: 19, exitIndex: 20 });
    expect(trades[0]!.ret).toBeCloseTo(0.03, 12);
    expect(trades[0]!.initialRisk).toBeCloseTo(0.015, 12);
    expect(metrics.avgR).toBeCloseTo(2, 9);
    expect(metrics.winRate).toBe(1);
  });

  it("assumes the stop first when one candle touches both", () => {
    const { trades } = run([[100, 104, 98, 103]]);
    expect(trades[0]!.closeType).toBe("STOP_LOSS");
    expect(trades[0]!.ret).toBeCloseTo(-0.015, 12);
  });

  it("fills a stop gapped through at the open", () => {
    expect(run([[97, 97.5, 96, 97]]).trades[0]!.ret).toBeCloseTo(-0.03, 12);
  });

  it("closes what is still open at the end of the data", () => {
    const { trades, metrics } = run([[100, 101, 99.5, 101]]);
    expect(trades[0]).toMatchObject({ closeType: "END_OF_DATA", exitIndex: 20 });
    expect(trades[0]!.ret).toBeCloseTo(0.01, 12);
    expect(metrics.exitsByType.END_OF_DATA).toBe(1);
  });

  it("charges fees and slippage: entry, stop and TAKE_PROFIT_MARKET all pay taker fee and slip against the position", () => {
    const cfg = FillConfigSchema.parse({ takerFeePct: 0.04, makerFeePct: 0.02, slippagePct: 0.02 });
    expect(cfg.takeProfitOrder).toBe("market");
    const entry = 100 * 1.0002;
    const tp = entry * 1.03;
    const tpFill = tp * (1 - 0.0002);
    expect(run([[100, 104, 99.8, 103.2]], cfg).trades[0]!.ret).toBeCloseTo((tpFill - entry) / entry - 0.0004 - (0.0004 * tpFill) / entry, 12);
    const stop = entry * 0.985;
    const fill = stop * (1 - 0.0002);
    expect(run([[100, 100.2, 98, 98.5]], cfg).trades[0]!.ret).toBeCloseTo((fill - entry) / entry - 0.0004 - (0.0004 * fill) / entry, 12);
  });

  it("fills a take-profit gapped through at the open (market order), and at its price with the maker fee in limit mode", () => {
    const slipFree = FillConfigSchema.parse({ takerFeePct: 0.04, makerFeePct: 0.02, slippagePct: 0 });
    expect(run([[104, 105, 103.8, 104.5]], slipFree).trades[0]!.ret).toBeCloseTo(0.04 - 0.0004 - 0.0004 * 1.04, 12);
    const limit = FillConfigSchema.parse({ takerFeePct: 0.04, makerFeePct: 0.02, slippagePct: 0.02, takeProfitOrder: "limit" });
    const entry = 100 * 1.0002;
    const tp = entry * 1.03;
    expect(run([[100, 104, 99.8, 103.2]], limit).trades[0]!.ret).toBeCloseTo((tp - entry) / entry - 0.0004 - (0.0002 * tp) / entry, 12);
  });

  it("handles shorts symmetrically", () => {
    expect(run([[100, 100.2, 96.5, 97]], noCosts, [{ index: 19, side: "short" }]).trades[0]!.ret).toBeCloseTo(0.03, 12);
  });
});

describe("runBacktest with the Exit Brain", () => {
  const p = parseExitBrainParams({ ...defaultExitBrainParams, atrPeriod: 14, slAtrMult: 2, minStopPct: 0.1, breakevenTriggerR: 1, trailTriggerR: 1.5, trailAtrMult: 2, ladder: [], takeProfitR: 0, shockAtrMult: 1000 });

  it("sets a stop at entry, trails a rally and exits on the trailing stop in profit", () => {
    const rows: [number, number, number, number][] = [];
    let px = 100;
    for (let i = 0; i < 15; i++) {
      rows.push([px, px + 1.2, px - 0.2, px + 1]);
      px += 1;
    }
    rows.push([px, px + 0.1, px - 6, px - 6]); // sharp fall through the trailing stop
    const { trades } = runBacktest({ candles: series(20, 100, rows), entries: long, intervalMs: MIN, cfg: noCosts }, brainPolicy(p));
    expect(trades[0]!.closeType).toBe("TRAILING_STOP");
    expect(trades[0]!.ret).toBeGreaterThan(0.05);
    expect(trades[0]!.initialRisk).toBeGreaterThan(0);
  });

  it("closes at the time limit", () => {
    const q = parseExitBrainParams({ ...p, maxHoldMs: 5 * MIN });
    const rows = Array.from({ length: 10 }, () => [100, 100.3, 99.7, 100.1] as const);
    const { trades } = runBacktest({ candles: series(20, 100, rows), entries: long, intervalMs: MIN, cfg: noCosts }, brainPolicy(q));
    expect(trades[0]).toMatchObject({ closeType: "TIME_LIMIT", exitIndex: 24 });
  });

  it("gives both policies the identical entries", () => {
    const candles = series(300, 100, Array.from({ length: 300 }, (_, i) => [100 + Math.sin(i / 7) * 3, 100 + Math.sin(i / 7) * 3 + 1, 100 + Math.sin(i / 7) * 3 - 1, 100 + Math.sin((i + 1) / 7) * 3] as const));
    const entries = randomEntries(50, candles.length, 9, 15);
    const key = (t: { entryIndex: number; side: string }) => `${t.entryIndex}:${t.side}`;
    const a = runBacktest({ candles, entries, intervalMs: MIN, cfg: noCosts }, brainPolicy(defaultExitBrainParams)).trades.map(key).sort();
    const b = runBacktest({ candles, entries, intervalMs: MIN, cfg: noCosts }, pm).trades.map(key).sort();
    expect(a).toHaveLength(50);
    expect(a).toEqual(b);
    expect(a).toEqual(entries.map((e) => key({ entryIndex: e.index, side: e.side })).sort());
  });
});
