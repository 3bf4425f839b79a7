import { describe, expect, it } from "vitest";
import type { Decision } from "../exit-brain";
import type { PositionSnapshot } from "../market/types";
import { parseShadowLogLine, toShadowDecisionRow, toShadowLogLine, type DecisionContext } from "./shadow-record";

const position: PositionSnapshot = {
  symbol: "BTCUSDT", side: "long", size: 1.5, entryPrice: 94300, markPrice: 96506.62, leverage: 10, liquidationPrice: null, unrealizedPnl: 0, openedAt: 1,
};
const at = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const ctx = (decision: Decision, mode: "SHADOW" | "LIVE" = "SHADOW"): DecisionContext => ({ positionKey: "BTCUSDT:long:1", position, decision, mode, toggleVersion: 7, at });

// The runbook's pandas snippet reads exactly these keys from each JSON object.
const RUNBOOK_KEYS = ["symbol", "side", "size", "pnl_pct", "timestamp", "mode", "decision.decision_type", "decision.confidence", "decision.reason", "decision.new_sl", "decision.sl_reason", "decision.fraction", "decision.new_tp"];

describe("shadow log record", () => {
  it("is one flat JSON object per line with the runbook's dotted keys", () => {
    const line = toShadowLogLine(ctx({ type: "move_sl", newSl: 96500, slReason: "breakeven", confidence: 0.8, reason: "SL adjustment (breakeven): pnl=2.34%" }));
    expect(line).not.toContain("\n");
    const obj = JSON.parse(line) as Record<string, unknown>;
    for (const k of RUNBOOK_KEYS) expect(obj).toHaveProperty([k]);
    for (const v of Object.values(obj)) expect(typeof v === "object" && v !== null).toBe(false); // flat: no nested objects
    expect(obj).toMatchObject({
      symbol: "BTCUSDT", side: "long", size: 1.5, timestamp: "2025-01-02T03:04:05.678Z", mode: "SHADOW", toggle_version: 7,
      "decision.decision_type": "move_sl", "decision.confidence": 0.8, "decision.new_sl": 96500, "decision.sl_reason": "breakeven", "decision.fraction": null,
    });
    expect(obj.pnl_pct).toBeCloseTo(2.3400, 4);
  });

  it("parses back with the schema, and rejects a malformed line", () => {
    const line = toShadowLogLine(ctx({ type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 0.7, reason: "Partial TP hit: pnl=5.42%, taking 50% profit" }));
    expect(parseShadowLogLine(line)).toMatchObject({ "decision.decision_type": "partial_close", "decision.fraction": 0.5, "decision.new_sl": null });
    expect(() => parseShadowLogLine(line.replace('"partial_close"', '"panic"'))).toThrow();
    expect(() => parseShadowLogLine("{not json")).toThrow();
  });

  it("gives the shadow_decision row the same values", () => {
    const row = toShadowDecisionRow(ctx({ type: "full_exit_now", exitReason: "shock", confidence: 0.9, reason: "Emergency" }, "LIVE"));
    expect(row).toMatchObject({
      at: new Date(at), positionKey: "BTCUSDT:long:1", decisionType: "full_exit_now", exitReason: "shock", newSl: null, mode: "LIVE", toggleVersion: 7n, markPrice: 96506.62,
    });
  });
});
