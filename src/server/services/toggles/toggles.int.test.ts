// Real PostgreSQL: the audit trail is immutable in the database itself; boots seed and lower but
// never raise; escalations need a reason and a LIVE confirmation; ceilings refuse raises; racing
// changes serialise and land in the audit log in order.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import type { ToggleSet } from "../../../core/toggles";
import { AppError } from "../../errors";
import { bootToggles } from "./boot-toggles";
import { changeToggles } from "./change-toggles";
import { listAudit } from "./list-audit";
import { killSwitch, rollback } from "./rollbacks";
import { readStoredToggles } from "../../db/toggle-row";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("toggles");
});
afterAll(async () => t?.drop());

async function reset(): Promise<void> {
  // The audit table refuses DELETE/TRUNCATE, so each test group starts from a fresh database.
  await t.drop();
  t = await createTestDatabase("toggles");
}

const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const op = { actor: "op@test", source: "cli" as const, ceilings: {} };

async function goLive(): Promise<void> {
  await changeToggles(t.db, { ...op, changes: LIVE, reason: "go live", confirmLive: true });
}

describe("audit trail", () => {
  beforeEach(reset);

  it("refuses UPDATE, DELETE and TRUNCATE in the database", async () => {
    await changeToggles(t.db, { ...op, changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: "shadow" });
    // The runtime role has no such privilege; even the owner of the table is stopped by the
    // triggers (a superuser could disable them: src/server/db/least-privilege.int.test.ts shows
    // the runtime role cannot).
    for (const [url, refused] of [
      [t.url, { UPDATE: /permission denied/, DELETE: /permission denied/, TRUNCATE: /permission denied/ }],
      [t.ownerUrl, { UPDATE: /append-only: UPDATE/, DELETE: /append-only: DELETE/, TRUNCATE: /append-only: TRUNCATE/ }],
    ] as const) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await expect(c.query(`UPDATE toggle_audit SET reason = 'edited'`)).rejects.toThrow(refused.UPDATE);
        await expect(c.query(`DELETE FROM toggle_audit`)).rejects.toThrow(refused.DELETE);
        await expect(c.query(`TRUNCATE toggle_audit`)).rejects.toThrow(refused.TRUNCATE);
      } finally {
        await c.end();
      }
    }
    expect((await listAudit(t.db)).map((r) => r.reason)).not.toContain("edited");
  });

  it("writes exactly one row per change, none for a no-op", async () => {
    await changeToggles(t.db, { ...op, changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: "shadow" }); // seed + change
    const before = (await listAudit(t.db)).length;
    await changeToggles(t.db, { ...op, changes: { EXIT_EXECUTOR_MODE: "LIVE" }, reason: "dry run" });
    expect((await listAudit(t.db)).length).toBe(before + 1);
    const noop = await changeToggles(t.db, { ...op, changes: { EXIT_EXECUTOR_MODE: "LIVE" }, reason: "again" });
    expect(noop.changed).toBe(false);
    expect((await listAudit(t.db)).length).toBe(before + 1);
  });
});

describe("change rules", () => {
  beforeEach(reset);

  it("escalations and rollbacks need a reason", async () => {
    const err = await changeToggles(t.db, { ...op, changes: { EXIT_MODE: "EXIT_BRAIN_V3" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as Error).message).toMatch(/reason is required for an escalation/);
  });

  it("reaching LIVE needs an explicit confirmation, and an approval when required", async () => {
    await expect(changeToggles(t.db, { ...op, changes: LIVE, reason: "go" })).rejects.toThrow(/explicit confirmation/);
    await expect(changeToggles(t.db, { ...op, changes: LIVE, reason: "go", confirmLive: true, requireApproval: true })).rejects.toThrow(/REQUIRE_LIVE_APPROVAL/);
    const r = await changeToggles(t.db, { ...op, changes: LIVE, reason: "go", confirmLive: true });
    expect(r.stateAfter).toBe("EXIT_BRAIN_V3_LIVE");
    expect(r.kind).toBe("escalation");
  });

  it("refuses to raise a toggle above its environment ceiling, naming the variable", async () => {
    const err = await changeToggles(t.db, { ...op, changes: LIVE, reason: "go", confirmLive: true, ceilings: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" } }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/EXIT_BRAIN_V3_LIVE_ROLLOUT cannot be raised to ENABLED: the environment variable EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED caps it/);
    expect((await readStoredToggles(t.db))?.toggles.EXIT_BRAIN_V3_LIVE_ROLLOUT ?? "DISABLED").toBe("DISABLED");
  });

  it("the kill switch leaves LIVE in one audited rollback, even without a typed reason", async () => {
    await goLive();
    const r = await killSwitch(t.db, { actor: "op2", source: "dashboard", ceilings: {} });
    expect(r.stateAfter).toBe("EXIT_BRAIN_V3_SHADOW");
    expect(r.kind).toBe("rollback");
    const [latest] = await listAudit(t.db, { limit: 1 });
    expect(latest).toMatchObject({ kind: "rollback", source: "dashboard", actor: "op2", reason: "Kill switch (Rollback A)", stateAfter: "EXIT_BRAIN_V3_SHADOW" });
    const c = await rollback(t.db, "legacy", { actor: "op2", source: "dashboard", reason: "done", ceilings: {} });
    expect(c.stateAfter).toBe("LEGACY");
  });

  it("racing changes both land, serialised, with consecutive versions and audit rows in order", async () => {
    await changeToggles(t.db, { ...op, changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: "shadow" });
    const start = (await readStoredToggles(t.db))!.version;
    const other = (await createTestDatabaseClient(t.url));
    try {
      const [a, b] = await Promise.all([
        changeToggles(t.db, { ...op, actor: "a", changes: { EXIT_EXECUTOR_MODE: "LIVE" }, reason: "a" }),
        changeToggles(other, { ...op, actor: "b", changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" }, reason: "b", confirmLive: true }),
      ]);
      expect([a.after.version, b.after.version].sort()).toEqual([start + 1, start + 2]);
      const final = (await readStoredToggles(t.db))!;
      expect(final.toggles).toEqual(LIVE); // neither update was lost
      const audit = (await listAudit(t.db, { limit: 2 })).reverse();
      expect(audit.map((r) => r.versionAfter)).toEqual([start + 1, start + 2]);
      expect(audit[1]!.versionBefore).toBe(audit[0]!.versionAfter);
    } finally {
      await other.$disconnect();
    }
  });
});

describe("boot with environment ceilings", () => {
  beforeEach(reset);

  it("a new installation with no toggle variables starts in LEGACY", async () => {
    const b = await bootToggles(t.db, {});
    expect(b.seeded).toBe(true);
    expect(b.stored.toggles).toEqual({ EXIT_MODE: "LEGACY", EXIT_EXECUTOR_MODE: "SHADOW", EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
  });

  it("first boot seeds from the environment but never above SHADOW", async () => {
    const b = await bootToggles(t.db, LIVE);
    expect(b.stored.toggles).toEqual({ ...LIVE, EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
    const [seed] = await listAudit(t.db);
    expect(seed).toMatchObject({ source: "env", versionAfter: 1, stateAfter: "EXIT_BRAIN_V3_SHADOW" });
  });

  it("a lower environment value lowers the store (audited), and a later boot without it does not raise", async () => {
    await bootToggles(t.db, {});
    await goLive();
    const lowered = await bootToggles(t.db, { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" });
    expect(lowered.lowered).toMatchObject({ kind: "rollback", stateBefore: "EXIT_BRAIN_V3_LIVE", stateAfter: "EXIT_BRAIN_V3_SHADOW" });
    const [row] = await listAudit(t.db, { limit: 1 });
    expect(row).toMatchObject({ source: "env", kind: "rollback" });
    expect(row!.reason).toMatch(/EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED in the environment is below the stored ENABLED/);
    const again = await bootToggles(t.db, {});
    expect(again.lowered).toBeNull();
    expect(again.stored.toggles.EXIT_BRAIN_V3_LIVE_ROLLOUT).toBe("DISABLED");
  });
});

async function createTestDatabaseClient(url: string) {
  const { createDb } = await import("../../db/client");
  return createDb(url, { max: 2 });
}
