import { describe, expect, it } from "vitest";
import type { Candle } from "../market/types";
import { replayShadowDecisions, type LoggedDecision, type ShadowReplayInput } from "./replay-shadow-decisions";

const TF = 300_000;
const T0 = 1_700_000_000_000;
const candle = (k: number, open: number, high: number, low: number, close: number): Candle => ({ openTime: T0 + k * TF, open, high, low, close, volume: 1 });
const at = (k: number, frac = 0.5) => T0 + k * TF + frac * TF;

function input(candles: Candle[], decisions: LoggedDecision[], over: Partial<ShadowReplayInput> = {}): ShadowReplayInput {
  return { side: "long", entryPrice: 100, leverage: 10, openedAt: T0 + 1000, closedAt: T0 + candles.length * TF - 1, closePrice: candles.at(-1)!.close, timeframeMs: TF, candles, decisions, ...over };
}
const initial = (k: number, sl: number): LoggedDecision => ({ at: at(k, 0.01), markPrice: 100, decision: { type: "move_sl", newSl: sl, slReason: "initial", confidence: 1, reason: "" } });

describe("replayShadowDecisions", () => {
  it("a logged stop that the price path crossed stops the position out at the stop", () => {
    const candles = [candle(0, 100, 101, 99.5, 100), candle(1, 100, 100.5, 97, 97.5), candle(2, 97.5, 98, 90, 91)];
    const r = replayShadowDecisions(input(candles, [initial(0, 98)]));
    expect(r.returnPct).toBeCloseTo(-2, 9);
    expect(r.exit).toBe("stop (initial)");
    expect(r.decisionsApplied).toBe(1);
    expect(r.heldToClose).toBe(false);
  });

  it("a gap through the stop fills at the candle's open", () => {
    const candles = [candle(0, 100, 100.5, 99.5, 100), candle(1, 96, 96.5, 95, 96)];
    expect(replayShadowDecisions(input(candles, [initial(0, 98)])).returnPct).toBeCloseTo(-4, 9);
  });

  it("partial close at the logged mark, breakeven stop, then stopped at breakeven", () => {
    const candles = [candle(0, 100, 101, 99.5, 101), candle(1, 101, 106, 101, 105), candle(2, 105, 105, 99, 99.5)];
    const decisions: LoggedDecision[] = [
      initial(0, 97),
      { at: at(1, 0.5), markPrice: 105, decision: { type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 0.7, reason: "" } },
      { at: at(1, 0.6), markPrice: 105, decision: { type: "move_sl", newSl: 100.2, slReason: "breakeven", confidence: 0.8, reason: "" } },
      { at: at(1, 0.7), markPrice: 105, decision: { type: "move_sl", newSl: 99, slReason: "trailing", confidence: 0.8, reason: "" } }, // looser: ignored
      { at: at(1, 0.8), markPrice: 105, decision: { type: "hold", confidence: 0.5, reason: "" } },
    ];
    const r = replayShadowDecisions(input(candles, decisions));
    expect(r.returnPct).toBeCloseTo(0.5 * 5 + 0.5 * 0.2, 9);
    expect(r.exit).toBe("stop (breakeven)");
    expect(r.partialCloses).toBe(1);
    expect(r.decisionsApplied).toBe(3);
  });

  it("a full exit closes at its logged mark and later decisions are ignored", () => {
    const candles = [candle(0, 100, 100, 95, 96), candle(1, 96, 96, 80, 81)];
    const decisions: LoggedDecision[] = [
      initial(0, 90),
      { at: at(0, 0.9), markPrice: 96, decision: { type: "full_exit_now", exitReason: "shock", confidence: 0.95, reason: "" } },
      { at: at(1, 0.5), markPrice: 81, decision: { type: "move_sl", newSl: 95, slReason: "trailing", confidence: 1, reason: "" } },
    ];
    const r = replayShadowDecisions(input(candles, decisions));
    expect(r.returnPct).toBeCloseTo(-4, 9);
    expect(r.exit).toBe("full_exit_now (shock)");
    expect(r.decisionsApplied).toBe(2);
  });

  it("a short with a take-profit that is reached", () => {
    const candles = [candle(0, 100, 100.5, 99, 99), candle(1, 99, 99, 94, 95)];
    const decisions: LoggedDecision[] = [
      { at: at(0, 0.1), markPrice: 100, decision: { type: "move_sl", newSl: 103, slReason: "initial", confidence: 1, reason: "" } },
      { at: at(0, 0.2), markPrice: 100, decision: { type: "set_tp", newTp: 95, confidence: 0.6, reason: "" } },
    ];
    const r = replayShadowDecisions(input(candles, decisions, { side: "short" }));
    expect(r.returnPct).toBeCloseTo(5, 9);
    expect(r.exit).toBe("take-profit");
  });

  it("a position the brain would still hold is valued at the legacy close price", () => {
    const candles = [candle(0, 100, 101, 99.5, 100.5), candle(1, 100.5, 102, 100, 101.8)];
    const r = replayShadowDecisions(input(candles, [initial(0, 97)], { closePrice: 101.5 }));
    expect(r.returnPct).toBeCloseTo(1.5, 9);
    expect(r.exit).toMatch(/^still open at the legacy close/);
    // its return is the legacy close price's: no evidence about Exit Brain's exits
    expect(r.heldToClose).toBe(true);
  });

  it("part closed by Exit Brain and the rest valued at the legacy close is its own evidence (not held to the close)", () => {
    const candles = [candle(0, 100, 101, 99.5, 101), candle(1, 101, 106, 101, 105)];
    const decisions: LoggedDecision[] = [
      initial(0, 97),
      { at: at(1, 0.5), markPrice: 105, decision: { type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 0.7, reason: "" } },
    ];
    const r = replayShadowDecisions(input(candles, decisions, { closePrice: 104 }));
    expect(r.returnPct).toBeCloseTo(0.5 * 5 + 0.5 * 4, 9);
    expect(r.partialCloses).toBe(1);
    expect(r.heldToClose).toBe(false);
  });

  it("ignores candles before the open (a stop is not hit by pre-entry prices)", () => {
    const candles = [candle(-2, 90, 91, 80, 90), candle(0, 100, 100.5, 99.5, 100), candle(1, 100, 101, 99.8, 101)];
    const r = replayShadowDecisions(input(candles, [initial(0, 98)], { closedAt: T0 + 2 * TF - 1, closePrice: 101 }));
    expect(r.returnPct).toBeCloseTo(1, 9);
  });
});
