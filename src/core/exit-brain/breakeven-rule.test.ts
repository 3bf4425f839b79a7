import { describe, expect, it } from "vitest";
import { breakevenRule } from "./breakeven-rule";
import { params, position, stateWithStop } from "./testing/fixtures";

describe("breakevenRule", () => {
  const p = params({ breakevenTriggerR: 1, breakevenOffsetPct: 0.1 });

  it("moves the stop to entry + offset once the best price reached 1R, in the runbook's words", () => {
    const pos = position("long", 100, 102.1);
    const s = stateWithStop(pos, 98, { bestPrice: 102.1 });
    const d = breakevenRule(pos, s, p, 2, 2.1);
    expect(d).toMatchObject({ type: "move_sl", slReason: "breakeven", confidence: 0.8, reason: "SL adjustment (breakeven): pnl=2.10%" });
    expect(d!.newSl).toBeCloseTo(100.1, 12);
  });

  it("waits below the trigger, and never lowers a better stop", () => {
    const pos = position("long", 100, 101.5);
    expect(breakevenRule(pos, stateWithStop(pos, 98, { bestPrice: 101.9 }), p, 2, 1.5)).toBeNull();
    expect(breakevenRule(pos, stateWithStop(pos, 98, { bestPrice: 103, stopPrice: 100.5 }), p, 2, 1.5)).toBeNull();
  });

  it("mirrors for shorts and is skipped when the level is past the mark", () => {
    const pos = position("short", 100, 97);
    expect(breakevenRule(pos, stateWithStop(pos, 102, { bestPrice: 97 }), p, 2, 3)!.newSl).toBeCloseTo(99.9, 12);
    const back = position("short", 100, 99.95);
    expect(breakevenRule(back, stateWithStop(back, 102, { bestPrice: 97 }), p, 2, 0.05)).toBeNull();
  });

  it("leaves breakevenBufferAtr x ATR of room behind entry + offset, and only then", () => {
    const q = params({ breakevenTriggerR: 1, breakevenOffsetPct: 0.1, breakevenBufferAtr: 0.5 });
    const pos = position("long", 100, 102.1);
    const s = stateWithStop(pos, 98, { bestPrice: 102.1 });
    expect(breakevenRule(pos, s, q, 2, 2.1, 0.4)!.newSl).toBeCloseTo(99.9, 12);
    expect(breakevenRule(pos, s, q, 2, 2.1)!.newSl).toBeCloseTo(100.1, 12); // no ATR known: no buffer
    const short = position("short", 100, 97);
    expect(breakevenRule(short, stateWithStop(short, 102, { bestPrice: 97 }), q, 2, 3, 0.4)!.newSl).toBeCloseTo(100.1, 12);
  });
});
