import { describe, expect, it } from "vitest";
import { defaultExitBrainParams, parseExitBrainParams } from "../exit-brain/params";
import { CostModelSchema, fundingRateAt, slippageFraction, zeroCostModel } from "./cost-model";
import { runPathBacktest } from "./path-engine";
import { brainPathPolicy, bracketPolicy, type BracketSpec } from "./path-policies";
import { buildPricePath } from "./price-path";
import { MIN, series } from "./testing/candles";
import type { Entry } from "./types";
import { randomEntries } from "./entries";
import { randomWalkCandles } from "./random-walk";

const pm: BracketSpec = { name: "pm", unit: "pct", stop: 1.5, levels: [{ dist: 3, fraction: 1 }] };
const long: Entry[] = [{ index: 19, side: "long" }];
function run(rows: Parameters<typeof series>[2], cost = zeroCostModel, entries = long, step = 0.1) {
  const candles = series(20, 100, rows);
  return runPathBacktest({ candles, path: buildPricePath(candles, MIN, step), entries, intervalMs: MIN, cost }, bracketPolicy(pm));
}

describe("path fills (stop 1.5%, target 3%)", () => {
  it("a stop crossed inside a candle fills at the first path point at or past it, never better than the trigger", () => {
    const [t] = run([[100, 100.2, 97, 97.5]]);
    expect(t!.closeType).toBe("STOP_LOSS");
    expect(t!.net).toBeLessThanOrEqual(-0.015);
    expect(t!.net).toBeGreaterThan(-0.015 - 0.001 - 1e-12); // steps of 0.1% at most
  });

  it("a gap through the stop fills at the open (the path jumps from the last close)", () => {
    expect(run([[97, 97.5, 96, 97]])[0]!.net).toBeCloseTo(-0.03, 12);
  });

  it("with coarse steps the stop fills at the worse path point, not at the trigger", () => {
    // one step per leg: the path jumps 100 -> 97; a trigger fill would give -1.5%
    expect(run([[100, 100.2, 97, 97.5]], zeroCostModel, long, 100)[0]!.net).toBeCloseTo(-0.03, 12);
  });

  it("a candle touching both: the order of the path decides (low nearer the open: the stop first)", () => {
    expect(run([[100, 104, 98, 103]])[0]!.closeType).toBe("STOP_LOSS");
    expect(run([[103.5, 104, 100, 103]])[0]!.closeType).toBe("TAKE_PROFIT"); // gaps up through the target at the open
  });

  it("take-profit market fills at the path point past it; shorts mirror longs", () => {
    expect(run([[100, 103.5, 99.9, 103.2]])[0]!.net).toBeCloseTo(0.03, 3);
    expect(run([[100, 100.1, 96.5, 97]], zeroCostModel, [{ index: 19, side: "short" }])[0]!.net).toBeCloseTo(0.03, 3);
  });

  it("books gross (raw prices) and net (fees, range slippage) apart", () => {
    const cost = CostModelSchema.parse({ takerFeePct: 0.05, slipBasePct: 0.01, slipRangeFrac: 0.1, fundingRatePct: 0 });
    const [t] = run([[100, 100.2, 97, 97.5]], cost);
    expect(t!.gross).toBeLessThan(-0.013); // the stop sits 1.5% under the slipped entry price
    expect(t!.net).toBeLessThan(t!.gross - 0.001);
    expect(slippageFraction(cost, 110, 100, 100)).toBeCloseTo((0.01 + 0.1 * 10) / 100, 12);
    expect(slippageFraction(cost, 100.1, 100, 100)).toBeLessThan(slippageFraction(cost, 105, 100, 100));
  });

  it("charges funding every 8 hours while open (longs pay a positive rate)", () => {
    const quiet = Array.from({ length: 8 * 60 + 200 }, () => [100, 100.2, 99.8, 100] as const);
    const cost = CostModelSchema.parse({ takerFeePct: 0, slipBasePct: 0, slipRangeFrac: 0, fundingRatePct: 0.01 });
    const candles = series(20, 100, quiet).map((c, i) => ({ ...c, openTime: i * MIN + 8 * 3_600_000 - 100 * MIN }));
    const path = buildPricePath(candles, MIN, 0.1);
    const entries: Entry[] = [{ index: 19, side: "long" }, { index: 19, side: "short" }];
    const [a, b] = runPathBacktest({ candles, path, entries, intervalMs: MIN, cost }, bracketPolicy(pm));
    expect(a!.closeType).toBe("END_OF_DATA");
    expect(a!.net - a!.gross).toBeCloseTo(-0.0001 * 2, 9); // two settlements inside the data
    expect(b!.net - b!.gross).toBeCloseTo(+0.0001 * 2, 9);
    expect(fundingRateAt(CostModelSchema.parse({ fundingSeries: [{ time: 10, ratePct: 0.03 }] }), 11)).toBeCloseTo(0.0003, 12);
  });
});

describe("Exit Brain on the path", () => {
  const p = parseExitBrainParams({ ...defaultExitBrainParams, atrPeriod: 14, slAtrMult: 2, minStopPct: 0.1, breakevenTriggerR: 1, trailTriggerR: 1.5, trailAtrMult: 2, ladder: [], takeProfitR: 0, shockAtrMult: 1000 });

  it("trails a rally and exits on the trailing stop in profit, acting on ticks inside the candle", () => {
    const rows: [number, number, number, number][] = [];
    let px = 100;
    for (let i = 0; i < 15; i++) {
      rows.push([px, px + 1.2, px - 0.2, px + 1]);
      px += 1;
    }
    rows.push([px, px + 0.1, px - 6, px - 6]);
    const candles = series(20, 100, rows);
    const [t] = runPathBacktest({ candles, path: buildPricePath(candles, MIN, 0.05), entries: long, intervalMs: MIN, cost: zeroCostModel }, brainPathPolicy(p));
    expect(["TRAILING_STOP", "BREAKEVEN_STOP"]).toContain(t!.closeType);
    expect(t!.gross).toBeGreaterThan(0.05);
  });

  it("the takeover path starts from legacy's stop: the R unit is legacy's stop distance", () => {
    const rows = Array.from({ length: 10 }, () => [100, 100.3, 99.7, 100.1] as const);
    const candles = series(20, 100, rows);
    const input = { candles, path: buildPricePath(candles, MIN, 0.05), entries: long, intervalMs: MIN, cost: zeroCostModel };
    const fresh = runPathBacktest(input, brainPathPolicy(defaultExitBrainParams))[0]!;
    const taken = runPathBacktest(input, brainPathPolicy(defaultExitBrainParams, { takeover: { ...pm, stop: 0.7 } }))[0]!;
    expect(taken.initialRisk).toBeCloseTo(0.007, 9);
    expect(fresh.initialRisk).toBeCloseTo(defaultExitBrainParams.minStopPct / 100, 9);
  });
});

describe("the engine's fast path (quiet bands) is exact", () => {
  it("gives the very same trades with and without it, for every policy kind", () => {
    const candles = randomWalkCandles({ kind: "fat-tailed", candles: 3_000, intervalMs: 300_000, candleVol: 0.003, ticksPerCandle: 10, seed: 42 });
    const path = buildPricePath(candles, 300_000, 0.025);
    const entries = randomEntries(150, candles.length, 3, 60);
    const cost = CostModelSchema.parse({});
    const withLimit = parseExitBrainParams({ ...defaultExitBrainParams, maxHoldMs: 6 * 3_600_000 });
    const policies = [
      brainPathPolicy(defaultExitBrainParams),
      brainPathPolicy(withLimit),
      brainPathPolicy(defaultExitBrainParams, { takeover: { name: "l", unit: "pct", stop: 1.5, levels: [{ dist: 1.5, fraction: 0.5 }, { dist: 3, fraction: 1 }] } }),
      bracketPolicy({ name: "atr", unit: "atr", stop: 4, levels: [{ dist: 3, fraction: 0.5 }, { dist: 8, fraction: 1 }] }),
    ];
    for (const p of policies) {
      const input = { candles, path, entries, intervalMs: 300_000, cost };
      const fast = runPathBacktest({ ...input, fastPath: true }, p as never);
      const slow = runPathBacktest({ ...input, fastPath: false }, p as never);
      expect(fast).toHaveLength(150);
      expect(fast).toEqual(slow);
    }
  });
});
