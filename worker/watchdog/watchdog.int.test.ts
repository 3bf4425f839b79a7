// The watchdog against a real PostgreSQL: each rule's condition written into the tables the
// worker fills, one check, and exactly one audited kill switch (source watchdog, reason with the
// numbers) plus one webhook call; nothing at all outside LIVE.
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { DEFAULT_WATCHDOG_CONFIG, type WatchdogConfig } from "../../src/core/watchdog";
import { createLogger } from "../../src/server/logger";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { recordAccountBalance } from "./account-pnl";
import { startWebhookServer, type WebhookServer } from "../notifications/testing/webhook-server";
import { Watchdog } from "./watchdog";

const ROOT = path.resolve(import.meta.dirname, "../..");
const log = createLogger({ name: "test", level: "silent", console: false });
let t: TestDatabase;
let hook: WebhookServer;
const running: Watchdog[] = [];

beforeAll(async () => {
  t = await createTestDatabase("watchdog");
  await bootToggles(t.db, {});
  hook = await startWebhookServer();
});
afterAll(async () => {
  await hook?.close();
  await t?.drop();
});
beforeEach(async () => {
  hook.bodies.length = 0;
  // CASCADE: exit_order_event rows (migration 0015) reference the attempts.
  await t.db.$executeRawUnsafe("TRUNCATE worker_heartbeat, exit_order_attempt, position_safety, account_pnl CASCADE");
  await beat("w1", 0);
  await goLive();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

function watchdog(over: Partial<WatchdogConfig> = {}): Watchdog {
  const w = new Watchdog({
    connectionString: t.url,
    config: { ...DEFAULT_WATCHDOG_CONFIG, dailyLossLimit: 500, webhookUrl: hook.url, webhookTimeoutMs: 2_000, ...over },
    log,
  });
  running.push(w);
  return w;
}

async function goLive(): Promise<void> {
  await changeToggles(t.db, {
    changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" },
    actor: "test", source: "api", reason: "arm for the test", confirmLive: true, ceilings: {},
  });
}

async function beat(workerId: string, ageS: number, info: object = {}): Promise<void> {
  await t.db.$executeRaw`INSERT INTO worker_heartbeat (worker_id, pid, hostname, started_at, beat_at, info)
    VALUES (${workerId}, 1, 'test', now() - interval '1 hour', now() - (${ageS}::float8 * interval '1 second'), ${JSON.stringify(info)}::jsonb)
    ON CONFLICT (worker_id) DO UPDATE SET beat_at = EXCLUDED.beat_at, info = EXCLUDED.info`;
}

async function attempts(outcome: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await t.db.$executeRaw`INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, reduce_only,
        client_order_id, decision_id, operational_state, verdict, outcome)
      VALUES ('exit_executor', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 0.01, true, ${`${outcome}-${i}-${Math.random()}`}, 'd',
        'EXIT_BRAIN_V3_LIVE', 'allow', ${outcome})`;
  }
}

async function position(symbol: string, side: "long" | "short", o: { unprotectedForS?: number; dual?: boolean } = {}): Promise<void> {
  const unprotected = o.unprotectedForS !== undefined;
  await t.db.$executeRaw`INSERT INTO position_safety (symbol, position_side, size, entry_price, mark_price, unrealized_pnl, protected,
      unprotected_since, dual_position, seen_at)
    VALUES (${symbol}, ${side}, 1, 100, 100, 0, ${!unprotected},
      CASE WHEN ${unprotected}::boolean THEN now() - (${o.unprotectedForS ?? 0}::float8 * interval '1 second') END,
      ${o.dual ?? false}, now())`;
}

async function watchdogAudits(): Promise<{ actor: string; source: string; reason: string | null; stateBefore: string | null; stateAfter: string }[]> {
  return t.db.toggleAudit.findMany({
    where: { source: "watchdog" },
    orderBy: { id: "asc" },
    select: { actor: true, source: true, reason: true, stateBefore: true, stateAfter: true },
  });
}

async function expectOneRollback(before: number, reason: RegExp): Promise<void> {
  const audits = await watchdogAudits();
  expect(audits).toHaveLength(before + 1);
  expect(audits.at(-1)).toMatchObject({ actor: "watchdog", source: "watchdog", stateBefore: "EXIT_BRAIN_V3_LIVE", stateAfter: "EXIT_BRAIN_V3_SHADOW" });
  expect(audits.at(-1)?.reason).toMatch(/^Kill switch \(Rollback A\): watchdog: /);
  expect(audits.at(-1)?.reason).toMatch(reason);
  const stored = await t.db.exitToggles.findUniqueOrThrow({ where: { id: 1 } });
  expect(stored.exitBrainV3LiveRollout).toBe("DISABLED");
  expect(hook.bodies).toHaveLength(1);
  expect(hook.bodies[0]).toMatchObject({ method: "POST", json: { text: expect.stringMatching(reason) } });
}

describe("Watchdog (one check)", () => {
  it("a healthy LIVE system: no rollback, no webhook", async () => {
    const before = (await watchdogAudits()).length;
    await position("BTCUSDT", "long");
    await attempts("placed", 20);
    const res = await watchdog().checkOnce();
    expect(res).toMatchObject({ state: "EXIT_BRAIN_V3_LIVE", fired: [], rollback: null });
    expect(await watchdogAudits()).toHaveLength(before);
    expect(hook.bodies).toHaveLength(0);
  });

  it("stale executor heartbeat -> one audited kill switch and one webhook call", async () => {
    const before = (await watchdogAudits()).length;
    await beat("w1", 12.5);
    const res = await watchdog().checkOnce();
    expect(res.fired.map((f) => f.rule)).toEqual(["heartbeat_stale"]);
    await expectOneRollback(before, /watchdog: heartbeat_stale: executor heartbeat 12\.\d s old > 10 s/);
    expect(res.webhook).toMatchObject({ ok: true, status: 200 });
  });

  it("a dead HA leader is not hidden by a fresh standby's heartbeat", async () => {
    const before = (await watchdogAudits()).length;
    await beat("w1", 15, { ha: { leader: true, epoch: 3 } });
    await beat("w2", 0, { ha: { leader: false, epoch: null } });
    await watchdog().checkOnce();
    await expectOneRollback(before, /heartbeat_stale: executor heartbeat 15\.\d s old/);
  });

  it("error rate over the threshold in exit_order_attempt -> kill switch", async () => {
    const before = (await watchdogAudits()).length;
    await attempts("placed", 4);
    await attempts("failed", 4);
    await attempts("rejected", 2);
    await attempts("blocked", 30); // never reached the exchange: not part of the rate
    await watchdog().checkOnce();
    await expectOneRollback(before, /error_rate: 6 of 10 exchange attempts in the last 60 s failed \(4\) or were rejected \(2\): 60\.0% > 50\.0%/);
  });

  it("a position unprotected for longer than the threshold -> kill switch", async () => {
    const before = (await watchdogAudits()).length;
    await position("ETHUSDT", "short", { unprotectedForS: 45 });
    await position("BTCUSDT", "long", { unprotectedForS: 5 });
    await watchdog().checkOnce();
    await expectOneRollback(before, /unprotected_position: no exchange-side stop: ETHUSDT short for 45\.\d s > 30 s$/);
  });

  it("a dual position (no worker published the position mode: read as one-way) -> kill switch", async () => {
    const before = (await watchdogAudits()).length;
    await position("BTCUSDT", "long", { dual: true });
    await position("BTCUSDT", "short", { dual: true });
    await watchdog().checkOnce();
    await expectOneRollback(before, /dual_position: both a long and a short position open on BTCUSDT/);
  });

  it("hedge mode (the leader's heartbeat publishes position_mode hedge): a LONG and a SHORT on one symbol is normal, no rollback; one-way published: kill switch", async () => {
    const before = (await watchdogAudits()).length;
    await beat("w1", 0, { ha: { leader: true, epoch: 1 }, account: { position_mode: "hedge" } });
    await position("BTCUSDT", "long", { dual: true });
    await position("BTCUSDT", "short", { dual: true });
    expect(await watchdog().checkOnce()).toMatchObject({ fired: [], rollback: null });
    expect(await watchdogAudits()).toHaveLength(before);
    await beat("w1", 0, { ha: { leader: true, epoch: 1 }, account: { position_mode: "one-way" } });
    await watchdog().checkOnce();
    await expectOneRollback(before, /dual_position: both a long and a short position open on BTCUSDT/);
  });

  it("realised loss for the UTC day over the limit -> kill switch (balances written by recordAccountBalance)", async () => {
    const before = (await watchdogAudits()).length;
    await recordAccountBalance(t.db, { asset: "USDT", walletBalance: 10_000 });
    await recordAccountBalance(t.db, { asset: "USDT", walletBalance: 9_700 });
    expect((await watchdog().checkOnce()).fired).toEqual([]); // 300 < 500
    await recordAccountBalance(t.db, { asset: "USDT", walletBalance: 9_400.25 });
    const row = await t.db.accountPnl.findFirstOrThrow({ where: { asset: "USDT" } });
    expect(row).toMatchObject({ startingBalance: 10_000, currentBalance: 9_400.25 });
    await watchdog().checkOnce();
    await expectOneRollback(before, /daily_loss: realised loss 599\.75 USDT on \d{4}-\d\d-\d\d \(UTC\) > limit 500 USDT/);
  });

  it("recordAccountBalance refuses a malformed reading and keeps the previous balance", async () => {
    await recordAccountBalance(t.db, { asset: "USDT", walletBalance: 1_000 });
    await expect(recordAccountBalance(t.db, { asset: "USDT", walletBalance: Number.NaN })).rejects.toThrow(/walletBalance must be a finite number/);
    expect(await t.db.accountPnl.findFirstOrThrow({ where: { asset: "USDT" } })).toMatchObject({ currentBalance: 1_000 });
  });

  it.each(["EXIT_BRAIN_V3_SHADOW", "LEGACY"] as const)("does nothing in %s, however bad things look", async (state) => {
    const changes = state === "LEGACY" ? { EXIT_MODE: "LEGACY" as const } : { EXIT_EXECUTOR_MODE: "SHADOW" as const };
    await changeToggles(t.db, { changes, actor: "test", source: "api", reason: "leave LIVE", ceilings: {} });
    const auditsBefore = await t.db.toggleAudit.count();
    await beat("w1", 600);
    await attempts("failed", 50);
    await position("BTCUSDT", "long", { unprotectedForS: 600, dual: true });
    const res = await watchdog().checkOnce();
    expect(res).toMatchObject({ state, fired: [], rollback: null, webhook: null });
    expect(await t.db.toggleAudit.count()).toBe(auditsBefore);
    expect(hook.bodies).toHaveLength(0);
  });

  it("when an operator already pulled the kill switch, it changes nothing and calls no webhook", async () => {
    await beat("w1", 30);
    await changeToggles(t.db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" }, actor: "op", source: "cli", reason: "manual", ceilings: {} });
    const auditsBefore = await t.db.toggleAudit.count();
    expect((await watchdog().checkOnce()).fired).toEqual([]);
    expect(await t.db.toggleAudit.count()).toBe(auditsBefore);
    expect(hook.bodies).toHaveLength(0);
  });

  it("a webhook that fails does not undo or block the rollback", async () => {
    const before = (await watchdogAudits()).length;
    hook.respondWith.status = 500;
    try {
      await beat("w1", 20);
      const res = await watchdog().checkOnce();
      expect(res.rollback?.changed).toBe(true);
      expect(res.webhook).toMatchObject({ ok: false, status: 500 });
      expect(await watchdogAudits()).toHaveLength(before + 1);
    } finally {
      hook.respondWith.status = 200;
    }
  });
});

describe("Watchdog (loop)", () => {
  it("keeps checking, rolls back exactly once, while the executor's own pool is hung", async () => {
    // The 'executor': every connection of its pool checked out and stuck in an open transaction.
    const executorPool = new pg.Pool({ connectionString: t.url, max: 2 });
    const stuck = await Promise.all([executorPool.connect(), executorPool.connect()]);
    for (const c of stuck) await c.query("BEGIN; SELECT 1 FROM worker_heartbeat");
    const pending = executorPool.connect(); // would wait forever
    try {
      const before = (await watchdogAudits()).length;
      const w = watchdog({ checkIntervalMs: 100 }).start();
      await beat("w1", 0);
      await new Promise((r) => setTimeout(r, 400)); // healthy: several checks, nothing fires
      expect(await watchdogAudits()).toHaveLength(before);
      await beat("w1", 11);
      await expect.poll(async () => (await watchdogAudits()).length, { timeout: 5_000 }).toBe(before + 1);
      await new Promise((r) => setTimeout(r, 500)); // more checks after the rollback: not LIVE, so no second one
      expect(await watchdogAudits()).toHaveLength(before + 1);
      expect(hook.bodies).toHaveLength(1);
      await w.stop();
    } finally {
      for (const c of stuck) c.release(true);
      (await pending).release(true);
      await executorPool.end();
    }
  });

  it("runs as its own process (worker/watchdog/main.ts) and rolls back", async () => {
    const before = (await watchdogAudits()).length;
    await beat("w1", 20);
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "worker/watchdog/main.ts")], {
      cwd: ROOT,
      env: {
        ...process.env, DATABASE_URL: t.url, LOG_FILE: path.join(tmpdir(), `exit-brain-test-watchdog-${process.pid}.log`),
        WATCHDOG_INTERVAL_MS: "200", WATCHDOG_WEBHOOK_URL: hook.url,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      await expect.poll(async () => (await watchdogAudits()).length, { timeout: 20_000, interval: 200 }).toBe(before + 1);
      await expect.poll(() => hook.bodies.length, { timeout: 5_000 }).toBe(1);
      await expect.poll(() => out, { timeout: 5_000 }).toMatch(/\[EXIT_WATCHDOG\] 🛑 Automatic rollback committed: kill switch/);
      expect(out).not.toContain("secret-token");
    } finally {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  });
});
