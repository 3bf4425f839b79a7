import { describe, expect, it } from "vitest";
import type { Decision } from "../exit-brain";
import {
  EXECUTOR_FORCED_SHADOW_LINE, EXECUTOR_LIVE_BANNER, initializedLine, liveExecutingLine, shadowDecisionLine, startingLoopLine,
} from "./executor-log-lines";

const subject = { symbol: "BTCUSDT", side: "long" as const, size: 1.5, pnlPct: 2.34 };
const SHADOW_TOGGLES = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "SHADOW", EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" } as const;

describe("executor log lines (runbook wording)", () => {
  it("formats the runbook's SHADOW example exactly", () => {
    const d: Decision = { type: "move_sl", newSl: 96500, slReason: "breakeven", confidence: 0.8, reason: "SL adjustment (breakeven): pnl=2.34%" };
    expect(shadowDecisionLine(subject, d)).toBe(
      "[EXIT_BRAIN_SHADOW] BTCUSDT long size=1.5000 pnl=+2.34% type=move_sl new_sl=$96500.0000 sl_reason=breakeven reason='SL adjustment (breakeven): pnl=2.34%' conf=0.80",
    );
  });

  it("shows only the fields each decision type has", () => {
    const hold = shadowDecisionLine({ ...subject, pnlPct: -1.2, side: "short" }, { type: "hold", confidence: 0.5, reason: "Hold: no exit condition met" });
    expect(hold).toBe("[EXIT_BRAIN_SHADOW] BTCUSDT short size=1.5000 pnl=-1.20% type=hold reason='Hold: no exit condition met' conf=0.50");
    const partial = shadowDecisionLine(subject, { type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 0.7, reason: "Partial TP hit: pnl=5.42%, taking 50% profit" });
    expect(partial).toContain("type=partial_close fraction=0.50 reason='Partial TP hit");
    expect(partial).not.toContain("new_sl");
    const tp = shadowDecisionLine(subject, { type: "set_tp", newTp: 101000.5, confidence: 0.6, reason: "TP" });
    expect(tp).toContain("type=set_tp new_tp=$101000.5000 reason='TP' conf=0.60");
    const exit = shadowDecisionLine(subject, { type: "full_exit_now", exitReason: "shock", confidence: 0.95, reason: "Emergency" });
    expect(exit).toContain("type=full_exit_now exit_reason=shock reason='Emergency' conf=0.95");
  });

  it("formats the LIVE execution line, start-up lines and banners as in the runbook", () => {
    const d: Decision = { type: "move_sl", newSl: 1, slReason: "breakeven", confidence: 0.8, reason: "SL adjustment (breakeven): pnl=2.10%" };
    expect(liveExecutingLine(subject, d)).toBe("[EXIT_BRAIN_LIVE] Executing move_sl for BTCUSDT long: SL adjustment (breakeven): pnl=2.10%");
    expect(initializedLine("SHADOW", SHADOW_TOGGLES)).toBe(
      "[EXIT_BRAIN_EXECUTOR] Initialized in SHADOW MODE - Config: EXIT_MODE=EXIT_BRAIN_V3, EXIT_EXECUTOR_MODE=SHADOW, EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED",
    );
    expect(initializedLine("SHADOW", null)).toMatch(/^\[EXIT_BRAIN_EXECUTOR\] Initialized in SHADOW MODE - Config: unconfirmed/);
    expect(startingLoopLine(10, "SHADOW")).toBe("[EXIT_BRAIN_EXECUTOR] Starting monitoring loop (interval=10.0s, mode=SHADOW)");
    expect(startingLoopLine(0.25, "LIVE")).toBe("[EXIT_BRAIN_EXECUTOR] Starting monitoring loop (interval=0.3s, mode=LIVE)");
    expect(EXECUTOR_LIVE_BANNER).toBe("[EXIT_BRAIN_EXECUTOR] 🔴 LIVE MODE ACTIVE 🔴 - AI will place real orders via exit_order_gateway. Legacy modules will be blocked.");
    expect(EXECUTOR_FORCED_SHADOW_LINE).toBe("[EXIT_BRAIN_EXECUTOR] ⚠️  EXIT_EXECUTOR_MODE=LIVE but EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED. Forcing SHADOW mode for safety.");
  });
});
