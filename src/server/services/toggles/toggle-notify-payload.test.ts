import { describe, expect, it } from "vitest";
import { parseToggleNotifyPayload, toggleNotifyPayload } from "./toggle-notify-payload";

const stored = {
  toggles: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "SHADOW", EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" } as const,
  version: 42,
  updatedAt: new Date("2026-11-24T09:00:00.000Z"),
  updatedBy: "op@example.com",
};

describe("toggle NOTIFY payload", () => {
  it("round-trips the committed row", () => {
    expect(parseToggleNotifyPayload(toggleNotifyPayload(stored))).toEqual(stored);
  });

  it("carries nothing usable for a bare version, garbage, or a wrong word", () => {
    for (const bad of [undefined, "", "42", "{", "{}", '{"version":0}', JSON.stringify({ ...JSON.parse(toggleNotifyPayload(stored)), toggles: { ...stored.toggles, EXIT_EXECUTOR_MODE: "live" } })]) {
      expect(parseToggleNotifyPayload(bad)).toBeNull();
    }
  });
});
