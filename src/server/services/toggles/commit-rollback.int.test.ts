// The kill switch as operators use it, against a real PostgreSQL: bounded tries retried until
// committed (a toggle change holding the row makes a try fail fast, the next one commits), and,
// with the database out of reach, a clear "not committed" that names the runbook's fallback.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { createDb } from "../../db/client";
import { AppError } from "../../errors";
import { bootToggles } from "./boot-toggles";
import { changeToggles } from "./change-toggles";
import { commitRollback, type RetryNotice } from "./commit-rollback";
import { waitForWorkers } from "./workers-following";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("commit_rollback");
  await bootToggles(t.db, {});
});
afterAll(async () => t?.drop());

async function goLive(): Promise<void> {
  await changeToggles(t.db, {
    changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" },
    actor: "test", source: "api", reason: "test", confirmLive: true, ceilings: {},
  });
}

describe("commitRollback", () => {
  it("a try that cannot get the row fails fast (lock_timeout) and the next one commits: one audit row", async () => {
    await goLive();
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM exit_toggles WHERE id = 1 FOR UPDATE"); // another change in progress
      setTimeout(() => void holder.query("COMMIT"), 1_500);
      const retries: RetryNotice[] = [];
      const auditBefore = await t.db.toggleAudit.count();
      const r = await commitRollback(t.db, "kill-switch", { actor: "op", source: "cli", ceilings: {} }, {
        limits: { lockTimeoutMs: 300, statementTimeoutMs: 1_000, transactionMs: 2_000 }, onRetry: (n) => retries.push(n),
      });
      expect(r).toMatchObject({ changed: true, stateAfter: "EXIT_BRAIN_V3_SHADOW" });
      expect(r.attempts).toBeGreaterThan(1);
      expect(retries[0]!.why).toMatch(/locked by another change/);
      expect(await t.db.toggleAudit.count()).toBe(auditBefore + 1);
    } finally {
      await holder.end();
    }
  });

  it("a second kill switch is an answer, not an error: no change, no audit row", async () => {
    const r = await commitRollback(t.db, "kill-switch", { actor: "op", source: "cli", ceilings: {} });
    expect(r).toMatchObject({ changed: false, attempts: 1, stateAfter: "EXIT_BRAIN_V3_SHADOW" });
  });

  it("database unreachable: not committed, told so in plain words with the runbook's fallback", async () => {
    const dead = createDb("postgresql://postgres@127.0.0.1:9/none", { max: 1 });
    try {
      const err = await commitRollback(dead, "kill-switch", { actor: "op", source: "dashboard", ceilings: {} }, { budgetMs: 1_500 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "UNAVAILABLE" });
      const msg = (err as AppError).message;
      expect(msg).toMatch(/kill switch was NOT committed: \d+ tries over .* the database is unreachable/);
      expect(msg).toMatch(/EXIT_EXECUTOR_MODE=SHADOW .* restart the worker/);
      expect(msg).not.toMatch(/invocation|prisma|ECONN/i); // no driver text
    } finally {
      await dead.$disconnect();
    }
  });

  it("tells whether each live worker already acts on the committed version (from its heartbeat); a stale heartbeat is no worker", async () => {
    const now = new Date();
    await t.db.workerHeartbeat.createMany({
      data: [
        { workerId: "w-on", pid: 1, hostname: "h", startedAt: now, beatAt: now, info: { toggles: { confirmed: true, version: 9, state: "EXIT_BRAIN_V3_SHADOW" } } },
        { workerId: "w-behind", pid: 2, hostname: "h", startedAt: now, beatAt: now, info: { toggles: { confirmed: true, version: 8, state: "EXIT_BRAIN_V3_LIVE" } } },
        { workerId: "w-gone", pid: 3, hostname: "h", startedAt: now, beatAt: new Date(now.getTime() - 60_000), info: { toggles: { confirmed: true, version: 1, state: "LEGACY" } } },
      ],
    });
    const seen = await waitForWorkers(t.db, 9, 300);
    expect(seen.workers).toEqual([
      { workerId: "w-behind", version: 8, state: "EXIT_BRAIN_V3_LIVE", following: false },
      { workerId: "w-on", version: 9, state: "EXIT_BRAIN_V3_SHADOW", following: true },
    ]);
    expect(seen.waitedMs).toBeGreaterThanOrEqual(300); // waited for the one behind, then answered
  });
});
