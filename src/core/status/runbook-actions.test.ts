import { describe, expect, it } from "vitest";
import type { ToggleSet } from "../toggles";
import { runbookView } from "./runbook-actions";

const T = (m: ToggleSet["EXIT_MODE"], e: ToggleSet["EXIT_EXECUTOR_MODE"], r: ToggleSet["EXIT_BRAIN_V3_LIVE_ROLLOUT"]): ToggleSet => ({
  EXIT_MODE: m,
  EXIT_EXECUTOR_MODE: e,
  EXIT_BRAIN_V3_LIVE_ROLLOUT: r,
});
const ids = (v: ReturnType<typeof runbookView>) => ({ steps: v.steps.map((s) => s.id), rollbacks: v.rollbacks.map((r) => r.id) });

describe("runbookView", () => {
  it("fresh LEGACY: only Step 1, no rollback, not armed", () => {
    const v = runbookView(T("LEGACY", "SHADOW", "DISABLED"));
    expect(v).toMatchObject({ stage: "legacy", state: "LEGACY", effectiveMode: "OFF", armedBy: null });
    expect(ids(v)).toEqual({ steps: ["step1_shadow"], rollbacks: [] });
    expect(v.steps[0]!.stateAfter).toBe("EXIT_BRAIN_V3_SHADOW");
  });

  it("SHADOW: Step 2 next, Rollback C only", () => {
    const v = runbookView(T("EXIT_BRAIN_V3", "SHADOW", "DISABLED"));
    expect(v).toMatchObject({ stage: "shadow", effectiveMode: "SHADOW", armedBy: null });
    expect(ids(v)).toEqual({ steps: ["step2_dry_run"], rollbacks: ["legacy"] });
  });

  it("dry run: Step 3 offered, armed by the rollout, effective mode SHADOW", () => {
    const v = runbookView(T("EXIT_BRAIN_V3", "LIVE", "DISABLED"));
    expect(v).toMatchObject({ stage: "dry_run", state: "EXIT_BRAIN_V3_SHADOW", effectiveMode: "SHADOW", armedBy: "EXIT_BRAIN_V3_LIVE_ROLLOUT" });
    expect(ids(v)).toEqual({ steps: ["step3_live"], rollbacks: ["shadow", "legacy"] });
    expect(v.steps[0]!.stateAfter).toBe("EXIT_BRAIN_V3_LIVE");
  });

  it("LIVE: no step, all three rollbacks, not armed (already LIVE)", () => {
    const v = runbookView(T("EXIT_BRAIN_V3", "LIVE", "ENABLED"));
    expect(v).toMatchObject({ stage: "live", effectiveMode: "LIVE", armedBy: null });
    expect(ids(v)).toEqual({ steps: [], rollbacks: ["kill-switch", "shadow", "legacy"] });
  });

  it("after Rollback C the stored toggles stay LIVE+ENABLED: armed by EXIT_MODE, Step 1 writes SHADOW", () => {
    const v = runbookView(T("LEGACY", "LIVE", "ENABLED"));
    expect(v.armedBy).toBe("EXIT_MODE");
    expect(ids(v)).toEqual({ steps: ["step1_shadow"], rollbacks: ["kill-switch", "shadow"] });
    expect(v.steps[0]!.stateAfter).toBe("EXIT_BRAIN_V3_SHADOW");
  });

  it("after Rollback B (rollout still ENABLED): armed by the executor mode; Step 2 also disables the rollout so it stays a dry run", () => {
    const v = runbookView(T("EXIT_BRAIN_V3", "SHADOW", "ENABLED"));
    expect(v.armedBy).toBe("EXIT_EXECUTOR_MODE");
    expect(v.steps[0]).toMatchObject({ id: "step2_dry_run", changes: { EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }, stateAfter: "EXIT_BRAIN_V3_SHADOW" });
    expect(ids(v).rollbacks).toEqual(["kill-switch", "legacy"]);
  });

  it("an environment ceiling that makes LIVE impossible means nothing is armed and Step 3 cannot reach LIVE", () => {
    const v = runbookView(T("EXIT_BRAIN_V3", "LIVE", "DISABLED"), { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
    expect(v.armedBy).toBeNull();
    expect(v.steps[0]).toMatchObject({ id: "step3_live", stateAfter: "EXIT_BRAIN_V3_SHADOW" });
  });

  it("a stored LIVE row capped to SHADOW by the environment reads as the dry run", () => {
    const v = runbookView(T("EXIT_BRAIN_V3", "LIVE", "ENABLED"), { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
    expect(v).toMatchObject({ stage: "dry_run", state: "EXIT_BRAIN_V3_SHADOW", effectiveMode: "SHADOW" });
    // the kill switch still lowers the stored row
    expect(ids(v).rollbacks).toContain("kill-switch");
  });
});
