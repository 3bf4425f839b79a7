// The CLI as an operator runs it (a real process against a real database).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";

const ROOT = path.resolve(import.meta.dirname, "../../..");
let t: TestDatabase;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/exit-brain.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.url, ...env },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  t = await createTestDatabase("cli");
});
afterAll(async () => t?.drop());

// Each case spawns the CLI several times (~4 s each here, three times that on a loaded 2-core CI
// machine), so the cases get more than the suite's default 60 s.
describe("exit-brain CLI", { timeout: 180_000 }, () => {
  it("runbook Step 2: executor LIVE + rollout DISABLED reports SHADOW with the forced-SHADOW warning", () => {
    expect(cli(["set", "EXIT_MODE=exit_brain_v3", "EXIT_EXECUTOR_MODE=live", "--reason", "step 2"]).code).toBe(0);
    const s = cli(["status"]);
    expect(s.code).toBe(0);
    expect(s.out).toContain("EXIT BRAIN V3 STATUS");
    expect(s.out).toContain("Operational State: EXIT_BRAIN_V3_SHADOW");
    expect(s.out).toContain("  EXIT_EXECUTOR_MODE: LIVE");
    expect(s.out).toContain("  EXIT_BRAIN_V3_LIVE_ROLLOUT: DISABLED");
    expect(s.out).toContain("Live Mode Active: False");
    expect(s.out).toContain("EXIT_EXECUTOR_MODE=LIVE but EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED. Forcing SHADOW mode for safety.");
    // the metrics of the current period, read as the runbook does (no worker runs here: a red flag)
    expect(s.out).toMatch(/📊 Metrics since EXIT_BRAIN_V3_SHADOW began \(.+, toggle version 2, audit #\d+\):/);
    expect(s.out).toContain("🚩 worker.up false");
    expect(s.out).toContain("⚠️  ARMED: one change of EXIT_BRAIN_V3_LIVE_ROLLOUT alone would make it LIVE");
  });

  it("--json has the health endpoint's shape", () => {
    const s = cli(["status", "--json"]);
    const j = JSON.parse(s.out) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(expect.arrayContaining(["timestamp", "config", "executor", "metrics", "operational_state"]));
    expect(j.operational_state).toBe("EXIT_BRAIN_V3_SHADOW");
  });

  it("going LIVE needs --confirm-live; an environment ceiling refuses it by name; exit code 2", () => {
    const noConfirm = cli(["set", "EXIT_BRAIN_V3_LIVE_ROLLOUT=ENABLED", "--reason", "go"]);
    expect(noConfirm.code).toBe(2);
    expect(noConfirm.err).toMatch(/--confirm-live/);
    const capped = cli(["set", "EXIT_BRAIN_V3_LIVE_ROLLOUT=ENABLED", "--reason", "go", "--confirm-live"], { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
    expect(capped.code).toBe(2);
    expect(capped.err).toMatch(/environment variable EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED caps it/);
    const live = cli(["set", "EXIT_BRAIN_V3_LIVE_ROLLOUT=ENABLED", "--reason", "go", "--confirm-live"]);
    expect(live.code).toBe(0);
    expect(cli(["status"]).out).toContain("🔴 Operational State: EXIT_BRAIN_V3_LIVE");
    const kill = cli(["kill-switch"]);
    expect(kill.code).toBe(0);
    expect(cli(["audit", "--limit", "1"]).out).toMatch(/rollback\s+cli\s+os:\S+: EXIT_BRAIN_V3_LIVE -> EXIT_BRAIN_V3_SHADOW .*Kill switch \(Rollback A\)/);
  });

  it("bad keys, bad values and an unreachable database fail clearly", () => {
    expect(cli(["set", "EXIT_MODE=turbo"])).toMatchObject({ code: 2 });
    expect(cli(["set", "EXIT_MODE=turbo"]).err).toMatch(/EXIT_MODE=turbo is not valid; allowed: LEGACY, EXIT_BRAIN_V3/);
    expect(cli(["set", "NOPE=1"]).err).toMatch(/Unknown toggle "NOPE"/);
    const down = cli(["status"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none" });
    expect(down.code).toBe(3);
    expect(down.err).toMatch(/Cannot reach PostgreSQL .*set DATABASE_URL/);
  });
});
