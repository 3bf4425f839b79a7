import { describe, expect, it } from "vitest";
import { createBrainState } from "./brain-state";
import { liquidationGuardRule } from "./liquidation-guard-rule";
import { shockExitRule } from "./shock-exit-rule";
import { takeProfitRule } from "./take-profit-rule";
import { market, params, position, stateWithStop, T0 } from "./testing/fixtures";
import { timeLimitRule } from "./time-limit-rule";

describe("shockExitRule", () => {
  const p = params({ shockAtrMult: 4, shockMinPct: 1 });
  it("exits after one adverse candle of >= 4 ATR and >= 1%", () => {
    const d = shockExitRule(position("long", 100, 95), market(1, 95, 100), p, -5);
    expect(d).toMatchObject({ type: "full_exit_now", exitReason: "shock" });
    expect(d!.reason).toBe("Emergency exit (shock): adverse move 5.00% in one candle (5.0x ATR), pnl=-5.00%");
    expect(d!.confidence).toBeGreaterThan(0.8);
  });
  it("scales the percentage floor with sqrt(candle interval / reference interval)", () => {
    const q = params({ shockAtrMult: 4, shockMinPct: 2, volRefIntervalMs: 300_000 });
    const fiveMin = { ...market(0.5, 96.5, 100), intervalMs: 300_000 };
    expect(shockExitRule(position("long", 100, 96.5), fiveMin, q, -3.5)).not.toBeNull();
    // 1h candles: the floor is 2% x sqrt(12) = 6.9%, so a 3.5% hourly candle is no shock
    expect(shockExitRule(position("long", 100, 96.5), { ...fiveMin, intervalMs: 3_600_000 }, q, -3.5)).toBeNull();
    expect(shockExitRule(position("long", 100, 92), { ...market(1, 92, 100), intervalMs: 3_600_000 }, q, -8)).not.toBeNull();
  });
  it("ignores favourable moves and small ones", () => {
    expect(shockExitRule(position("short", 100, 95), market(1, 95, 100), p, 5)).toBeNull();
    expect(shockExitRule(position("long", 100, 97), market(1, 97, 100), p, -3)).toBeNull();
    expect(shockExitRule(position("long", 100, 99.5), market(0.1, 99.5, 100), p, -0.5)).toBeNull();
  });
});

describe("liquidationGuardRule", () => {
  const p = params({ liqBufferPct: 1.5, liqBufferAtr: 3 });
  it("exits when the mark is within the buffer of the liquidation price", () => {
    const d = liquidationGuardRule(position("long", 100, 92, { liquidationPrice: 91 }), market(0.1), p, -8);
    expect(d).toMatchObject({ type: "full_exit_now", exitReason: "liquidation" });
    expect(d!.reason).toBe("Emergency exit (liquidation risk): liquidation price 1.09% away, pnl=-8.00%");
  });
  it("widens the buffer with volatility, and ignores far or unknown liquidation prices", () => {
    expect(liquidationGuardRule(position("short", 100, 105, { liquidationPrice: 108 }), market(1.2), p, -5)).not.toBeNull();
    expect(liquidationGuardRule(position("short", 100, 105, { liquidationPrice: 108 }), market(0.2), p, -5)).toBeNull();
    expect(liquidationGuardRule(position("long", 100, 92, { liquidationPrice: null }), market(1), p, -8)).toBeNull();
  });
});

describe("timeLimitRule", () => {
  const p = params({ maxHoldMs: 3_600_000 });
  it("closes a position once it has been open maxHoldMs", () => {
    const s = createBrainState(position("long", 100, 100.4), T0);
    expect(timeLimitRule(s, p, 0.4, T0 + 3_599_999)).toBeNull();
    expect(timeLimitRule(s, p, 0.4, T0 + 3_600_000)).toMatchObject({ type: "full_exit_now", exitReason: "time_limit", reason: "Time limit: position open 1.0h, pnl=0.40%" });
    expect(timeLimitRule(s, params({ maxHoldMs: 0 }), 0.4, T0 + 1e12)).toBeNull();
  });
});

describe("takeProfitRule", () => {
  it("places a target takeProfitR from entry once, only when configured", () => {
    const pos = position("long", 100, 101);
    const p = params({ takeProfitR: 3 });
    expect(takeProfitRule(pos, stateWithStop(pos, 98), p, 2, 1)).toMatchObject({ type: "set_tp", newTp: 106 });
    expect(takeProfitRule(pos, stateWithStop(pos, 98, { takeProfitPrice: 106 }), p, 2, 1)).toBeNull();
    expect(takeProfitRule(pos, stateWithStop(pos, 98), params({ takeProfitR: 0 }), 2, 1)).toBeNull();
  });
});
