import { describe, expect, it } from "vitest";
import { applyDecision, createBrainState, observePrice } from "./brain-state";
import { position, T0 } from "./testing/fixtures";

describe("brain state", () => {
  it("adopts an existing stop and derives R from it", () => {
    const s = createBrainState(position("long", 100, 101), T0, { stopPrice: 97, takeProfitPrice: 110 });
    expect(s).toMatchObject({ stopPrice: 97, slReason: "initial", riskPerUnit: 3, takeProfitPrice: 110, bestPrice: 101, openedAt: T0 });
  });

  it("records the best price and returns the same object when nothing changed", () => {
    const s = createBrainState(position("short", 100, 100), T0);
    const same = observePrice(s, 101, 99.5);
    expect(same.bestPrice).toBe(99.5);
    expect(observePrice(same, 100.5, 99.9)).toBe(same);
  });

  it("applies decisions and refuses to move a stop against the position", () => {
    let s = createBrainState(position("long", 100, 100), T0);
    s = applyDecision(s, { type: "move_sl", newSl: 98, slReason: "initial", confidence: 1, reason: "" });
    expect([s.stopPrice, s.riskPerUnit]).toEqual([98, 2]);
    expect(applyDecision(s, { type: "move_sl", newSl: 97, slReason: "trailing", confidence: 1, reason: "" })).toBe(s);
    s = applyDecision(s, { type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 1, reason: "" });
    expect(s.partialsTaken).toBe(1);
    expect(applyDecision(s, { type: "full_exit_now", exitReason: "shock", confidence: 1, reason: "" }).closed).toBe(true);
  });
});
