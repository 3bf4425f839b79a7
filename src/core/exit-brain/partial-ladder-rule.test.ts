import { describe, expect, it } from "vitest";
import { partialLadderRule } from "./partial-ladder-rule";
import { params, position, stateWithStop } from "./testing/fixtures";

describe("partialLadderRule", () => {
  const p = params({ ladder: [{ triggerR: 2, fraction: 0.5 }, { triggerR: 3, fraction: 0.25 }] });

  it("takes the next rung at its trigger, in the runbook's words", () => {
    const pos = position("long", 100, 105.42);
    const d = partialLadderRule(pos, stateWithStop(pos, 97.5), p, 2.5, 5.42);
    expect(d).toEqual({ type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 0.75, reason: "Partial TP hit: pnl=5.42%, taking 50% profit" });
  });

  it("goes rung by rung and stops after the last", () => {
    const pos = position("short", 100, 91);
    expect(partialLadderRule(pos, stateWithStop(pos, 103, { partialsTaken: 1 }), p, 3, 9)).toMatchObject({ fraction: 0.25, ladderStep: 1 });
    expect(partialLadderRule(pos, stateWithStop(pos, 103, { partialsTaken: 2 }), p, 3, 9)).toBeNull();
    const below = position("long", 100, 104.9);
    expect(partialLadderRule(below, stateWithStop(below, 97.5), p, 2.5, 4.9)).toBeNull();
  });
});
