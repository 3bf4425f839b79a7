import { describe, expect, it } from "vitest";
import { applyDecision, createBrainState } from "./brain-state";
import { evaluatePosition, HOLD } from "./evaluate-position";
import { market, params, position, stateWithStop, T0 } from "./testing/fixtures";

describe("evaluatePosition", () => {
  const p = params({ maxHoldMs: 0, takeProfitR: 0, ladder: [{ triggerR: 2, fraction: 0.5 }] });

  it("gives a position without a stop an initial stop first, even next to liquidation", () => {
    const pos = position("long", 100, 92, { liquidationPrice: 91.5 });
    expect(evaluatePosition(pos, market(1), createBrainState(pos, T0), p, T0)).toMatchObject({ type: "move_sl", slReason: "initial" });
  });

  it("puts emergencies before profit taking", () => {
    const pos = position("long", 100, 92, { liquidationPrice: 91.5 });
    expect(evaluatePosition(pos, market(1), stateWithStop(pos, 90), p, T0)).toMatchObject({ type: "full_exit_now", exitReason: "liquidation" });
  });

  it("takes a ladder rung before moving the stop, then moves it", () => {
    const pos = position("long", 100, 105);
    let s = stateWithStop(pos, 98, { bestPrice: 105 });
    const first = evaluatePosition(pos, market(0.5, 105, 104.8), s, p, T0);
    expect(first).toMatchObject({ type: "partial_close", fraction: 0.5 });
    s = applyDecision(s, first);
    expect(evaluatePosition(pos, market(0.5, 105, 104.8), s, p, T0)).toMatchObject({ type: "move_sl", slReason: "trailing" });
  });

  it("holds when nothing applies", () => {
    const pos = position("short", 100, 100.2);
    expect(evaluatePosition(pos, market(0.5, 100.2, 100.1), stateWithStop(pos, 102), p, T0)).toBe(HOLD);
  });

  it("walks a long through initial stop, breakeven and trailing as the price rises", () => {
    const q = params({ slAtrMult: 2, minStopPct: 0.1, breakevenTriggerR: 1, trailTriggerR: 2, trailAtrMult: 2, ladder: [], maxHoldMs: 0 });
    let pos = position("long", 100, 100);
    let s = createBrainState(pos, T0);
    const seen: string[] = [];
    for (const px of [100, 101, 102.2, 103, 104.5, 106]) {
      pos = { ...pos, markPrice: px };
      s = { ...s, bestPrice: Math.max(s.bestPrice, px) };
      const d = evaluatePosition(pos, market(1, px, px - 0.1), s, q, T0);
      if (d.type === "move_sl") seen.push(d.slReason);
      s = applyDecision(s, d);
    }
    expect(seen).toEqual(["initial", "breakeven", "trailing", "trailing"]);
    expect(s.stopPrice).toBeCloseTo(104, 12);
  });
});
