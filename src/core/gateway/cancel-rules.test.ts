import { describe, expect, it } from "vitest";
import { decideCancel, LEFTOVER_MODULE, RECONCILE_MODULE } from "./cancel-rules";
import { OPERATOR_MODULE } from "./modules";

describe("decideCancel: state x module", () => {
  it("the executor cancels only in a confirmed LIVE; after a kill switch its stops stay", () => {
    expect(decideCancel("exit_executor", { state: "EXIT_BRAIN_V3_LIVE", confirmed: true }).verdict).toBe("allow");
    expect(decideCancel("exit_executor", { state: "EXIT_BRAIN_V3_SHADOW", confirmed: true })).toMatchObject({ verdict: "deny", reason: expect.stringMatching(/only in LIVE/) });
    expect(decideCancel("exit_executor", { state: "LEGACY", confirmed: true }).verdict).toBe("deny");
  });

  it("reconcile and the left-over cleanup in any confirmed state; legacy modules not in LIVE; nobody when unconfirmed or unknown", () => {
    for (const state of ["LEGACY", "EXIT_BRAIN_V3_SHADOW", "EXIT_BRAIN_V3_LIVE"] as const) {
      expect(decideCancel(RECONCILE_MODULE, { state, confirmed: true }).verdict).toBe("allow");
      expect(decideCancel(LEFTOVER_MODULE, { state, confirmed: true }).verdict).toBe("allow");
      expect(decideCancel("position_monitor", { state, confirmed: true }).verdict).toBe(state === "EXIT_BRAIN_V3_LIVE" ? "deny" : "allow");
      for (const m of ["exit_executor", RECONCILE_MODULE, LEFTOVER_MODULE, "hybrid_tpsl"]) expect(decideCancel(m, { state, confirmed: false }).verdict).toBe("deny");
      expect(decideCancel("someone", { state, confirmed: true }).verdict).toBe("deny");
    }
  });

  it("an operator action cancels in any confirmed state, never while unconfirmed", () => {
    for (const state of ["LEGACY", "EXIT_BRAIN_V3_SHADOW", "EXIT_BRAIN_V3_LIVE"] as const) {
      expect(decideCancel(OPERATOR_MODULE, { state, confirmed: true }).verdict).toBe("allow");
      expect(decideCancel(OPERATOR_MODULE, { state, confirmed: false }).verdict).toBe("deny");
    }
  });
});
