import { describe, expect, it } from "vitest";
import { modeOfPositionSide, PositionModeWatch } from "./position-mode";

describe("modeOfPositionSide", () => {
  it("BOTH is one-way, LONG/SHORT is hedge mode, anything else says nothing", () => {
    expect(modeOfPositionSide("BOTH")).toBe("one-way");
    expect(modeOfPositionSide("LONG")).toBe("hedge");
    expect(modeOfPositionSide("SHORT")).toBe("hedge");
    for (const v of [undefined, null, "", "long", 1]) expect(modeOfPositionSide(v)).toBeNull();
  });
});

describe("PositionModeWatch", () => {
  it("refuses once another mode is seen, alerts once, and clears when the connected mode is seen again", () => {
    const alerts: string[] = [];
    const w = new PositionModeWatch("one-way", (m) => alerts.push(m));
    w.observe("one-way", "fetchPositions");
    expect(w.refusal()).toBeNull();
    expect(alerts).toEqual([]);

    w.observe("hedge", "fetchPositions");
    w.observe("hedge", "the periodic position mode check"); // the same change: no second alert
    expect(w.refusal()).toMatch(/changed from one-way mode to hedge mode .*\(seen by fetchPositions\).*no exit order is sent until the worker restarts.*restart the worker/);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/^\[EXCHANGE\] 🚨 the account's position mode changed/);

    w.observe("one-way", "GET /fapi/v1/positionSide/dual");
    expect(w.refusal()).toBeNull();
    expect(alerts[1]).toMatch(/one-way mode again.*exit orders are sent again/);
  });
});
