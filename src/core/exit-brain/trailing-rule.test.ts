import { describe, expect, it } from "vitest";
import { trailingRule } from "./trailing-rule";
import { market, params, position, stateWithStop } from "./testing/fixtures";

describe("trailingRule", () => {
  const p = params({ trailTriggerR: 1.5, trailAtrMult: 2, trailMinStepAtr: 0.5 });

  it("trails trailAtrMult x ATR behind the best price once 1.5R in profit", () => {
    const pos = position("long", 100, 104);
    const d = trailingRule(pos, market(0.5), stateWithStop(pos, 98, { bestPrice: 104 }), p, 2, 4);
    expect(d).toMatchObject({ type: "move_sl", slReason: "trailing", reason: "SL adjustment (trailing): pnl=4.00%" });
    expect(d?.type === "move_sl" && d.newSl).toBeCloseTo(103, 12);
  });

  it("does not trail below the trigger or by less than the minimum step", () => {
    const pos = position("long", 100, 102.9);
    expect(trailingRule(pos, market(0.5), stateWithStop(pos, 98, { bestPrice: 102.9 }), p, 2, 2.9)).toBeNull();
    const on = position("long", 100, 104.2);
    expect(trailingRule(on, market(0.5), stateWithStop(on, 98, { bestPrice: 104.2, stopPrice: 103, slReason: "trailing" }), p, 2, 4.2)).toBeNull();
  });

  it("exits when the price already fell back through the trailing level", () => {
    const pos = position("short", 100, 96.5);
    const d = trailingRule(pos, market(0.5), stateWithStop(pos, 102, { bestPrice: 95 }), p, 2, 3.5);
    expect(d).toMatchObject({ type: "full_exit_now", exitReason: "trailing_stop" });
  });
});
