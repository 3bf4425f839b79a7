// Invariants of the policy over random positions, markets, states and parameter sets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleBrainParams } from "../backtest/param-space";
import type { PositionSnapshot } from "../market/types";
import { createPrng } from "../backtest/prng";
import { applyDecision, createBrainState, improvesStop, observePrice, type BrainState } from "./brain-state";
import { evaluatePosition } from "./evaluate-position";
import { updateMarketSnapshot, createMarketSnapshot } from "./market-snapshot";
import { defaultExitBrainParams, type ExitBrainParams } from "./params";

const T0 = 1_700_000_000_000;

const paramsArb: fc.Arbitrary<ExitBrainParams> = fc.oneof(fc.constant(defaultExitBrainParams), fc.integer().map((seed) => sampleBrainParams(createPrng(seed))));

const caseArb = fc
  .record({
    side: fc.constantFrom("long" as const, "short" as const),
    entry: fc.double({ min: 0.01, max: 100_000, noNaN: true }),
    move: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
    best: fc.double({ min: 0, max: 0.4, noNaN: true }),
    stopOffset: fc.option(fc.double({ min: -0.1, max: 0.1, noNaN: true })),
    atrPct: fc.option(fc.double({ min: 0.0001, max: 0.05, noNaN: true })),
    liqPct: fc.option(fc.double({ min: 0.01, max: 0.5, noNaN: true })),
    partials: fc.integer({ min: 0, max: 3 }),
    heldMs: fc.integer({ min: 0, max: 10 * 86_400_000 }),
    lastMove: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
    intervalMs: fc.option(fc.constantFrom(60_000, 300_000, 900_000, 3_600_000, 86_400_000)),
  })
  .map((c) => {
    const sign = c.side === "long" ? 1 : -1;
    const mark = c.entry * (1 + c.move);
    const pos: PositionSnapshot = {
      symbol: "X",
      side: c.side,
      size: 1,
      entryPrice: c.entry,
      markPrice: mark,
      leverage: 10,
      liquidationPrice: c.liqPct === null ? null : mark * (1 - sign * c.liqPct),
      unrealizedPnl: 0,
      openedAt: T0,
    };
    const base = createBrainState(pos, T0, { stopPrice: c.stopOffset === null ? null : mark * (1 - sign * Math.abs(c.stopOffset)) });
    const state: BrainState = { ...base, bestPrice: sign === 1 ? Math.max(base.bestPrice, mark * (1 + c.best)) : Math.min(base.bestPrice, mark * (1 - c.best)), partialsTaken: c.partials };
    const atr = c.atrPct === null ? Number.NaN : c.entry * c.atrPct;
    return { pos, state, market: { atr, runningAtr: atr, lastClose: mark, prevClose: mark / (1 + c.lastMove), count: 50, period: 14, ...(c.intervalMs === null ? {} : { intervalMs: c.intervalMs }) }, now: T0 + c.heldMs };
  });

describe("evaluatePosition invariants", () => {
  it("is deterministic, keeps confidence in [0,1], fractions in (0,1], and never moves a stop against the position", () => {
    fc.assert(
      fc.property(caseArb, paramsArb, ({ pos, state, market, now }, p) => {
        const d = evaluatePosition(pos, market, state, p, now);
        expect(evaluatePosition(pos, market, state, p, now)).toEqual(d);
        expect(d.confidence).toBeGreaterThanOrEqual(0);
        expect(d.confidence).toBeLessThanOrEqual(1);
        expect(d.reason.length).toBeGreaterThan(0);
        if (d.type === "partial_close") expect(d.fraction > 0 && d.fraction <= 1).toBe(true);
        if (state.stopPrice === null) expect(d).toMatchObject({ type: "move_sl", slReason: "initial" });
        if (d.type === "move_sl") {
          expect(Number.isFinite(d.newSl)).toBe(true);
          expect(improvesStop(pos.side, state.stopPrice, d.newSl)).toBe(true);
          // on the safe side of the mark: the exchange accepts it and it does not fire at once
          expect(pos.side === "long" ? d.newSl < pos.markPrice : d.newSl > pos.markPrice).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("over a whole price path: stop first, stop monotone, partial closes never exceed the position", () => {
    const pathArb = fc.record({
      side: fc.constantFrom("long" as const, "short" as const),
      steps: fc.array(fc.double({ min: -0.03, max: 0.03, noNaN: true }), { minLength: 1, maxLength: 120 }),
      iv: fc.constantFrom(60_000, 300_000, 3_600_000),
    });
    fc.assert(
      fc.property(pathArb, paramsArb, ({ side, steps, iv }, p) => {
        let price = 100;
        let m = createMarketSnapshot(p.atrPeriod);
        for (let i = 0; i < 20; i++) m = updateMarketSnapshot(m, { openTime: i * iv, open: 100, high: 100.5, low: 99.5, close: 100, volume: 1 });
        const pos: PositionSnapshot = { symbol: "X", side, size: 1, entryPrice: 100, markPrice: 100, leverage: 10, liquidationPrice: side === "long" ? 90.5 : 109.5, unrealizedPnl: 0, openedAt: T0 };
        let s = createBrainState(pos, T0);
        let remaining = 1;
        let first = true;
        for (let i = 0; i < steps.length && !s.closed; i++) {
          const open = price;
          price = price * (1 + steps[i]!);
          m = updateMarketSnapshot(m, { openTime: (20 + i) * iv, open, high: Math.max(open, price), low: Math.min(open, price), close: price, volume: 1 });
          pos.markPrice = price;
          s = observePrice(s, Math.max(open, price), Math.min(open, price));
          for (let k = 0; k < 6 && !s.closed; k++) {
            const d = evaluatePosition(pos, m, s, p, T0 + i * iv);
            if (first) expect(d).toMatchObject({ type: "move_sl", slReason: "initial" });
            first = false;
            if (d.type === "hold") break;
            const before = s.stopPrice;
            s = applyDecision(s, d);
            if (before !== null && s.stopPrice !== before) expect(improvesStop(side, before, s.stopPrice!)).toBe(true);
            if (d.type === "partial_close") remaining -= remaining * d.fraction;
            expect(remaining).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
