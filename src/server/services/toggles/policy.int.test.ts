// One policy door: the go-LIVE rules live in the database and changeToggles (the service every
// path uses: dashboard, API, CLI, watchdog, boot) applies them, whatever the caller's own
// environment says. Readiness is required by default; an admin's override is explicit,
// one-shot, and audited. Only the owner login can change the policy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import type { ToggleSet } from "../../../core/toggles";
import { REASON_MAX_CHARS, reasonTooLongMessage } from "../../../core/toggles/reason";
import { migrate } from "../../db/migrate";
import { AppError } from "../../errors";
import { changeToggles } from "./change-toggles";
import { listPolicyAudit, readPolicy, setPolicy, SetPolicyInput } from "./policy";
import { killSwitch } from "./rollbacks";

let t: TestDatabase;
const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
// As the CLI called it before: its own shell had none of the REQUIRE_* variables.
const cli = { actor: "os:mallory", source: "cli" as const, ceilings: {}, requireApproval: false, requireReadiness: false };
const admin = { actor: "os:admin" };

beforeAll(async () => {
  t = await createTestDatabase("policy");
});
afterAll(async () => t?.drop());

async function fresh(): Promise<void> {
  await t.drop();
  t = await createTestDatabase("policy");
  await changeToggles(t.db, { ...cli, changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: "shadow" });
}

describe("the go-LIVE policy", () => {
  it("a freshly migrated database requires readiness (and not approval) by default", async () => {
    const empty = await createTestDatabase("policyfresh", { empty: true });
    try {
      await migrate(empty.ownerUrl, { runtimeRole: empty.runtimeRole });
      expect(await readPolicy(empty.db)).toMatchObject({ requireReadiness: true, requireLiveApproval: false, readinessOverrideActive: false });
    } finally {
      await empty.drop();
    }
  });

  describe("enforced by changeToggles whatever the caller's environment", () => {
    beforeEach(fresh);

    it("REQUIRE_LIVE_APPROVAL stored on: a CLI from a shell without it cannot go LIVE", async () => {
      await setPolicy(t.ownerDb, { requireLiveApproval: true, requireReadiness: false, reason: "four eyes" }, admin);
      await expect(changeToggles(t.db, { ...cli, changes: LIVE, reason: "go", confirmLive: true })).rejects.toThrow(/REQUIRE_LIVE_APPROVAL is on/);
      // A made-up request id is no approval.
      await expect(changeToggles(t.db, { ...cli, changes: LIVE, reason: "go", confirmLive: true, approvedRequestId: 1 })).rejects.toThrow(/not approved/);
      expect((await t.db.exitToggles.findFirstOrThrow()).exitExecutorMode).toBe("SHADOW");
    });

    it("REQUIRE_READINESS stored on (the default): going LIVE is refused with the unmet items; rollbacks never wait for it", async () => {
      await setPolicy(t.ownerDb, { requireReadiness: true, reason: "back to the default" }, admin);
      const err = (await changeToggles(t.db, { ...cli, changes: LIVE, reason: "go", confirmLive: true }).then(() => new Error("went LIVE"), (e: unknown) => e)) as Error;
      expect(err.message).toMatch(/REQUIRE_READINESS is on and \d+ readiness item\(s\) are not met.*override-readiness/);
      expect((await t.db.exitToggles.findFirstOrThrow()).exitExecutorMode).toBe("SHADOW");
      // Not a LIVE change: no readiness needed.
      expect((await changeToggles(t.db, { ...cli, changes: { EXIT_EXECUTOR_MODE: "LIVE" }, reason: "arm executor" })).changed).toBe(true);
      expect((await killSwitch(t.db, { actor: "watchdog", source: "watchdog", reason: "test", ceilings: {} })).changed).toBe(false);
    });

    it("an admin's readiness override is explicit, one-shot and audited", async () => {
      await setPolicy(t.ownerDb, { requireReadiness: true, reason: "default" }, admin);
      await setPolicy(t.ownerDb, { readinessOverrideMinutes: 15, reason: "incident drill: LIVE without 24 h of shadow" }, { actor: "os:admin", claimedActor: "alice" });
      expect(await readPolicy(t.db)).toMatchObject({ readinessOverrideActive: true, readinessOverrideBy: "os:admin" });

      const r = await changeToggles(t.db, { ...cli, changes: LIVE, reason: "go", confirmLive: true });
      expect(r.stateAfter).toBe("EXIT_BRAIN_V3_LIVE");
      expect(r.readinessWarnings.length).toBeGreaterThan(0);
      const row = await t.db.toggleAudit.findUniqueOrThrow({ where: { id: BigInt(r.auditId!) } });
      expect(row.policy).toMatchObject({ requireReadiness: true, readinessOverrideUsed: true, readinessUnmet: r.readinessWarnings });

      // Consumed: after a kill switch, the next go-LIVE is refused again.
      await killSwitch(t.db, { actor: "op", source: "dashboard", reason: "drill over", ceilings: {} });
      expect(await readPolicy(t.db)).toMatchObject({ readinessOverrideActive: false });
      await expect(changeToggles(t.db, { ...cli, changes: LIVE, reason: "again", confirmLive: true })).rejects.toThrow(/REQUIRE_READINESS is on/);

      const audit = await listPolicyAudit(t.db);
      expect(audit.map((a) => a.action).slice(0, 3)).toEqual(["readiness_override_used", "readiness_override", "set"]);
      expect(audit[1]).toMatchObject({ actor: "os:admin", claimedActor: "alice", reason: "incident drill: LIVE without 24 h of shadow" });
      expect(audit[0]!.reason).toMatch(new RegExp(`toggle version ${r.after.version}.*granted by os:admin`));
    });

    it("the environment can tighten the stored policy but never loosen it", async () => {
      await setPolicy(t.ownerDb, { requireReadiness: false, reason: "test" }, admin);
      await expect(changeToggles(t.db, { ...cli, changes: LIVE, reason: "go", confirmLive: true, requireReadiness: true })).rejects.toThrow(/REQUIRE_READINESS is on/);
      expect((await changeToggles(t.db, { ...cli, changes: LIVE, reason: "go", confirmLive: true })).stateAfter).toBe("EXIT_BRAIN_V3_LIVE");
    });

    it("a reason over the one reason limit is refused with the shared message, and nothing is written", async () => {
      const audited = (await listPolicyAudit(t.db)).length;
      const before = await readPolicy(t.db);
      const tooLong = "p".repeat(REASON_MAX_CHARS + 1);
      const err = await setPolicy(t.ownerDb, { requireLiveApproval: true, reason: tooLong }, admin).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("BAD_REQUEST");
      expect((err as AppError).message).toBe(reasonTooLongMessage(REASON_MAX_CHARS + 1));
      // The CLI reads the schema's own message (src/cli/commands/policy.ts): the same words.
      expect(SetPolicyInput.safeParse({ readinessOverrideMinutes: 5, reason: tooLong }).error?.issues.map((i) => i.message)).toEqual([reasonTooLongMessage(REASON_MAX_CHARS + 1)]);
      expect((await listPolicyAudit(t.db)).length).toBe(audited);
      expect(await readPolicy(t.db)).toEqual(before);
      // At the limit it is stored whole.
      const exact = "q".repeat(REASON_MAX_CHARS);
      await setPolicy(t.ownerDb, { requireLiveApproval: true, reason: exact }, admin);
      expect((await listPolicyAudit(t.db, 1))[0]!.reason).toBe(exact);
    });

    it("only the owner login can change it: the runtime role is refused by the database", async () => {
      await expect(setPolicy(t.db, { requireReadiness: false, reason: "let me" }, { actor: "os:mallory" })).rejects.toThrow(/permission denied/);
      await expect(setPolicy(t.db, { readinessOverrideMinutes: 60, reason: "let me" }, { actor: "os:mallory" })).rejects.toThrow(/permission denied/);
    });
  });
});
