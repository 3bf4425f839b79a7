// Exhaustive: every stored combination x every ceiling (unset / each valid word in any case /
// an invalid word) x the consistency flag, against an oracle written from the runbook's rules.
import { describe, expect, it } from "vitest";
import {
  classifyChange,
  FORCED_SHADOW_WARNING,
  isExitBrainLiveFullyEnabled,
  parseCeilings,
  parseToggle,
  resolveOperationalState,
  TOGGLE_VALUES,
  type ToggleKey,
  type ToggleSet,
} from "./index";

const KEYS: ToggleKey[] = ["EXIT_MODE", "EXIT_EXECUTOR_MODE", "EXIT_BRAIN_V3_LIVE_ROLLOUT"];
const ARMED: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };

function allStored(): ToggleSet[] {
  const out: ToggleSet[] = [];
  for (const a of TOGGLE_VALUES.EXIT_MODE)
    for (const b of TOGGLE_VALUES.EXIT_EXECUTOR_MODE)
      for (const c of TOGGLE_VALUES.EXIT_BRAIN_V3_LIVE_ROLLOUT)
        out.push({ EXIT_MODE: a, EXIT_EXECUTOR_MODE: b, EXIT_BRAIN_V3_LIVE_ROLLOUT: c });
  return out;
}

// Raw environment words per toggle: unset, each value in odd casing, and garbage.
const RAW: Record<ToggleKey, (string | undefined)[]> = {
  EXIT_MODE: [undefined, "legacy", "Exit_Brain_V3", "exit-brain"],
  EXIT_EXECUTOR_MODE: [undefined, "shadow", "LiVe", "on"],
  EXIT_BRAIN_V3_LIVE_ROLLOUT: [undefined, "Disabled", "enabled", "yes please"],
};

/** Oracle from the runbook: a toggle is "armed" if stored armed and not capped below it. */
function expectedState(stored: ToggleSet, raw: Record<ToggleKey, string | undefined>) {
  const armedWord: Record<ToggleKey, string> = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
  const armed = (k: ToggleKey) => stored[k] === armedWord[k] && (raw[k] === undefined || raw[k]!.toUpperCase() === armedWord[k]);
  if (!armed("EXIT_MODE")) return "LEGACY";
  if (armed("EXIT_EXECUTOR_MODE") && armed("EXIT_BRAIN_V3_LIVE_ROLLOUT")) return "EXIT_BRAIN_V3_LIVE";
  return "EXIT_BRAIN_V3_SHADOW";
}

describe("resolveOperationalState, exhaustively", () => {
  let cases = 0;
  for (const stored of allStored())
    for (const m of RAW.EXIT_MODE)
      for (const e of RAW.EXIT_EXECUTOR_MODE)
        for (const r of RAW.EXIT_BRAIN_V3_LIVE_ROLLOUT)
          for (const flag of [undefined, "true", "false", "maybe"]) {
            cases++;
            const raw = { EXIT_MODE: m, EXIT_EXECUTOR_MODE: e, EXIT_BRAIN_V3_LIVE_ROLLOUT: r };
            const name = `${JSON.stringify(stored)} env=${JSON.stringify(raw)} flag=${flag}`;
            it(name, () => {
              const parsed = parseCeilings({ ...raw, EXIT_BRAIN_V3_ENABLED: flag });
              const res = resolveOperationalState({ stored, ceilings: parsed.ceilings, enabledFlag: parsed.enabledFlag, parseWarnings: parsed.warnings });
              const want = expectedState(stored, raw);
              expect(res.operationalState).toBe(want);
              expect(res.liveModeActive).toBe(want === "EXIT_BRAIN_V3_LIVE");
              expect(isExitBrainLiveFullyEnabled(res.effective)).toBe(want === "EXIT_BRAIN_V3_LIVE");
              // invalid words warn, naming the variable and the value
              for (const k of KEYS) {
                const v = raw[k];
                const valid = v === undefined || (TOGGLE_VALUES[k] as readonly string[]).includes(v.toUpperCase());
                expect(res.warnings.some((w) => w.startsWith(`${k}=${JSON.stringify(v)} is not one of`))).toBe(!valid);
              }
              // the forced-SHADOW warning appears exactly when the runbook's Step 2 applies
              const forced = res.effective.EXIT_MODE === "EXIT_BRAIN_V3" && res.effective.EXIT_EXECUTOR_MODE === "LIVE" && res.effective.EXIT_BRAIN_V3_LIVE_ROLLOUT === "DISABLED";
              expect(res.warnings.includes(FORCED_SHADOW_WARNING)).toBe(forced);
              // the consistency flag warns on a mismatch only
              const f = flag === "true" ? true : flag === "false" ? false : null;
              const mismatch = f !== null && f !== (res.effective.EXIT_MODE === "EXIT_BRAIN_V3");
              expect(res.warnings.some((w) => w.startsWith("EXIT_BRAIN_V3_ENABLED=") && w.includes("does not match"))).toBe(mismatch);
              expect(res.warnings.some((w) => w.includes(`EXIT_BRAIN_V3_ENABLED="maybe"`))).toBe(flag === "maybe");
              // a ceiling never raises a toggle
              for (const k of KEYS) {
                const rank = (x: string) => (TOGGLE_VALUES[k] as readonly string[]).indexOf(x);
                expect(rank(res.effective[k])).toBeLessThanOrEqual(rank(stored[k]));
              }
            });
          }
  it("covered every combination", () => expect(cases).toBe(8 * 4 * 4 * 4 * 4));
});

describe("parseToggle", () => {
  it("is case-insensitive and trims", () => {
    expect(parseToggle("EXIT_MODE", " exit_brain_v3 ").value).toBe("EXIT_BRAIN_V3");
  });
  it("maps anything else to the safest value with a warning", () => {
    const p = parseToggle("EXIT_BRAIN_V3_LIVE_ROLLOUT", "TRUE");
    expect(p.value).toBe("DISABLED");
    expect(p.warning).toBe(`EXIT_BRAIN_V3_LIVE_ROLLOUT="TRUE" is not one of DISABLED, ENABLED; treating it as DISABLED (the safest value).`);
  });
});

describe("runbook states", () => {
  it("Step 2 dry run: executor LIVE + rollout DISABLED is SHADOW with the forced-SHADOW warning", () => {
    const res = resolveOperationalState({ stored: { ...ARMED, EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" } });
    expect(res.operationalState).toBe("EXIT_BRAIN_V3_SHADOW");
    expect(res.warnings).toContain(FORCED_SHADOW_WARNING);
  });
  it("a ceiling names the variable that caps the stored value", () => {
    const res = resolveOperationalState({ stored: ARMED, ceilings: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" } });
    expect(res.limitedBy).toEqual({ EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
    expect(res.operationalState).toBe("EXIT_BRAIN_V3_SHADOW");
  });
});

describe("classifyChange, every pair of stored states", () => {
  const rankState = { LEGACY: 0, EXIT_BRAIN_V3_SHADOW: 1, EXIT_BRAIN_V3_LIVE: 2 } as const;
  for (const a of allStored())
    for (const b of allStored()) {
      it(`${JSON.stringify(a)} -> ${JSON.stringify(b)}`, () => {
        const c = classifyChange(a, b);
        const sa = rankState[c.stateBefore];
        const sb = rankState[c.stateAfter];
        const ups = KEYS.filter((k) => (TOGGLE_VALUES[k] as readonly string[]).indexOf(b[k]) > (TOGGLE_VALUES[k] as readonly string[]).indexOf(a[k]));
        const downs = KEYS.filter((k) => (TOGGLE_VALUES[k] as readonly string[]).indexOf(b[k]) < (TOGGLE_VALUES[k] as readonly string[]).indexOf(a[k]));
        expect(c.changed.length).toBe(ups.length + downs.length);
        if (sb > sa) expect(c.kind).toBe("escalation");
        else if (sb < sa) expect(c.kind).toBe("rollback");
        else if (ups.length > 0) expect(c.kind).toBe("escalation");
        else if (downs.length > 0) expect(c.kind).toBe("rollback");
        else expect(c.kind).toBe("neutral");
        // reaching LIVE is always an escalation; leaving it always a rollback
        if (c.stateAfter === "EXIT_BRAIN_V3_LIVE" && c.stateBefore !== "EXIT_BRAIN_V3_LIVE") expect(c.kind).toBe("escalation");
        if (c.stateBefore === "EXIT_BRAIN_V3_LIVE" && c.stateAfter !== "EXIT_BRAIN_V3_LIVE") expect(c.kind).toBe("rollback");
      });
    }
});
