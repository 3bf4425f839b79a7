import { describe, expect, it } from "vitest";
import { createBrainState } from "./brain-state";
import { initialStopRule } from "./initial-stop-rule";
import { market, params, position, T0 } from "./testing/fixtures";

describe("initialStopRule", () => {
  const p = params({ slAtrMult: 2, minStopPct: 0.5, maxStopPct: 5, fallbackStopPct: 1.5 });

  it("sets a stop slAtrMult x ATR from entry when the position has none", () => {
    const pos = position("long", 100, 100);
    const d = initialStopRule(pos, market(1), createBrainState(pos, T0), p, 0);
    expect(d).toMatchObject({ type: "move_sl", slReason: "initial", confidence: 1, reason: "SL adjustment (initial): pnl=0.00%" });
    expect(d!.newSl).toBeCloseTo(98, 12);
    const short = position("short", 100, 100);
    expect(initialStopRule(short, market(1), createBrainState(short, T0), p, 0)!.newSl).toBeCloseTo(102, 12);
  });

  it("clamps the distance to [minStopPct, maxStopPct] and falls back without ATR", () => {
    const pos = position("long", 100, 100);
    const s = createBrainState(pos, T0);
    expect(initialStopRule(pos, market(0.01), s, p, 0)!.newSl).toBeCloseTo(99.5, 12);
    expect(initialStopRule(pos, market(10), s, p, 0)!.newSl).toBeCloseTo(95, 12);
    expect(initialStopRule(pos, market(Number.NaN), s, p, 0)!.newSl).toBeCloseTo(98.5, 12);
  });

  it("keeps the stop below the mark when the position is already past it", () => {
    const pos = position("long", 100, 97);
    expect(initialStopRule(pos, market(1), createBrainState(pos, T0), p, -3)!.newSl).toBeCloseTo(97 * 0.995, 12);
  });

  it("does nothing when a stop exists", () => {
    const pos = position("long", 100, 100);
    expect(initialStopRule(pos, market(1), createBrainState(pos, T0, { stopPrice: 98 }), p, 0)).toBeNull();
  });
});
