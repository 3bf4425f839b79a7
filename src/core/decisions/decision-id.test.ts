import { describe, expect, it } from "vitest";
import type { Decision } from "../exit-brain";
import { decisionIdFor, positionKeyOf } from "./decision-id";

const key = positionKeyOf("BTCUSDT", "long", 1_700_000_000_000);
const be: Decision = { type: "move_sl", newSl: 96500.123456, slReason: "breakeven", confidence: 0.8, reason: "SL adjustment (breakeven): pnl=2.34%" };

describe("decision ids", () => {
  it("are the same for a retry of the same decision (reason text and confidence do not matter)", () => {
    const again: Decision = { ...be, reason: "SL adjustment (breakeven): pnl=2.40%", confidence: 0.81, newSl: 96500.123456 + 1e-9 };
    expect(decisionIdFor(key, again, 3)).toBe(decisionIdFor(key, be, 3));
  });

  it("differ for another position, another decision, another toggle version or another leg", () => {
    const ids = new Set([
      decisionIdFor(key, be, 3),
      decisionIdFor(positionKeyOf("BTCUSDT", "long", 1_700_000_000_001), be, 3),
      decisionIdFor(positionKeyOf("BTCUSDT", "short", 1_700_000_000_000), be, 3),
      decisionIdFor(key, { ...be, newSl: 96600 }, 3),
      decisionIdFor(key, { ...be, slReason: "trailing" }, 3),
      decisionIdFor(key, be, 4),
      decisionIdFor(key, be, null),
      decisionIdFor(key, be, 3, "cancel"),
      decisionIdFor(key, { type: "partial_close", fraction: 0.5, ladderStep: 0, confidence: 1, reason: "" }, 3),
      decisionIdFor(key, { type: "partial_close", fraction: 0.5, ladderStep: 1, confidence: 1, reason: "" }, 3),
      decisionIdFor(key, { type: "full_exit_now", exitReason: "shock", confidence: 1, reason: "" }, 3),
      decisionIdFor(key, { type: "full_exit_now", exitReason: "time_limit", confidence: 1, reason: "" }, 3),
      decisionIdFor(key, { type: "set_tp", newTp: 1, confidence: 1, reason: "" }, 3),
    ]);
    expect(ids.size).toBe(13);
  });
});
