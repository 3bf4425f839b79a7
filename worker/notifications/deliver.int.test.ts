// Real PostgreSQL and a real HTTP sink: every toggle change and LIVE request queues a notification
// in its own transaction (none for a change that rolled back), the deliverer posts JSON with a
// Slack-compatible `text`, retries with back-off and records each attempt, gives up after the last
// one (kept as failed), queues one notification per unprotected episode after the grace period,
// and uses the admin's URL (validated) over the environment's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { MAX_DELIVERY_ATTEMPTS } from "../../src/core/notifications/notification";
import { createLogger } from "../../src/server/logger";
import { AppError } from "../../src/server/errors";
import { listDeliveries } from "../../src/server/services/notifications/outbox";
import { publicSinkSettings, setSinkSettings } from "../../src/server/services/notifications/settings";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { requestLive } from "../../src/server/services/toggles/live-requests";
import { deliverDue, NotificationLoop, type DeliveryOptions } from "./deliver";
import { startWebhookServer, type WebhookServer } from "./testing/webhook-server";

let t: TestDatabase;
let hook: WebhookServer;
const log = createLogger({ name: "notify-test", level: "silent", console: false });

beforeAll(async () => {
  t = await createTestDatabase("notify");
  await bootToggles(t.db, {});
  hook = await startWebhookServer();
});
afterAll(async () => {
  await hook?.close();
  await t?.drop();
});
beforeEach(async () => {
  hook.bodies.length = 0;
  hook.respondWith.status = 200;
  await t.db.$executeRawUnsafe("DELETE FROM notification_outbox");
});

const opts = (): DeliveryOptions => ({ db: t.db, log, envWebhookUrl: hook.url, timeoutMs: 2_000, deployment: "test-host" });
const rows = () => t.db.notificationOutbox.findMany({ orderBy: { id: "asc" } });
const makeDue = () => t.db.$executeRawUnsafe("UPDATE notification_outbox SET next_attempt_at = now() WHERE status = 'pending'");
const texts = () => hook.bodies.map((b) => (b as { json: { text: string } }).json.text);

describe("notification outbox", () => {
  it("a toggle change queues one notification in its own transaction; delivery posts Slack-compatible JSON", async () => {
    await changeToggles(t.db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, actor: "op@test", source: "cli", reason: "start shadow", ceilings: {} });
    expect(await rows()).toMatchObject([{ event: "toggle_change", status: "pending", attempts: 0 }]);
    expect(await deliverDue(opts())).toBe(1);
    expect(await rows()).toMatchObject([{ status: "delivered", attempts: 1, lastHttpStatus: 200 }]);
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ method: "POST", contentType: "application/json", json: { event: "toggle_change", details: { actor: "op@test", reason: "start shadow" } } });
    expect(texts()[0]).toMatch(/^:gear: Exit Brain toggle change on test-host: LEGACY -> EXIT_BRAIN_V3_SHADOW, version \d+ -> \d+ \(audit #\d+, op@test via cli\): start shadow$/);
    // delivered once: nothing is due any more
    expect(await deliverDue(opts())).toBe(0);
  });

  it("a change refused inside its transaction queues nothing", async () => {
    const err = await changeToggles(t.db, { changes: { EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED", EXIT_EXECUTOR_MODE: "LIVE" }, actor: "op@test", source: "cli", reason: "no confirmation", ceilings: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(await rows()).toEqual([]);
  });

  it("a LIVE request queues 'pending'; a rollback is its own event", async () => {
    await changeToggles(t.db, { changes: { EXIT_EXECUTOR_MODE: "LIVE" }, actor: "op@test", source: "cli", reason: "dry run", ceilings: {} });
    const req = await requestLive(t.db, { confirmation: "GO LIVE", reason: "four eyes" }, { actor: "a@test", source: "dashboard", ceilings: {}, requireReadiness: false });
    await changeToggles(t.db, { changes: { EXIT_MODE: "LEGACY" }, actor: "op@test", source: "cli", reason: "Rollback C", ceilings: {} });
    expect((await rows()).map((r) => r.event)).toEqual(["toggle_change", "live_request_pending", "rollback"]);
    await deliverDue(opts());
    expect(texts()[1]).toContain(`LIVE request #${req.id} by a@test on test-host waits for a different operator's approval`);
    expect(texts()[2]).toMatch(/^:leftwards_arrow_with_hook: Exit Brain rollback on test-host: EXIT_BRAIN_V3_SHADOW -> LEGACY/);
  });

  it("a failing sink is retried with back-off, each attempt recorded, and given up after the last one (kept as failed)", async () => {
    hook.respondWith.status = 500;
    await t.db.$executeRaw`INSERT INTO notification_outbox (event, payload) VALUES ('test', '{"requested_by":"admin@test"}'::jsonb)`;
    await deliverDue(opts());
    let [r] = await rows();
    expect(r).toMatchObject({ status: "pending", attempts: 1, lastHttpStatus: 500, lastError: expect.stringMatching(/HTTP 500/) });
    // the back-off: not due again at once
    expect(r!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 3_000);
    expect(await deliverDue(opts())).toBe(0);
    for (let i = 2; i <= MAX_DELIVERY_ATTEMPTS; i++) {
      await makeDue();
      expect(await deliverDue(opts())).toBe(1);
    }
    [r] = await rows();
    expect(r).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS });
    expect(hook.bodies).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect((await listDeliveries(t.db))[0]).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, maxAttempts: MAX_DELIVERY_ATTEMPTS });
  });

  it("a sink that recovers gets the notification on the retry", async () => {
    hook.respondWith.status = 503;
    await t.db.$executeRaw`INSERT INTO notification_outbox (event, payload) VALUES ('test', '{}'::jsonb)`;
    await deliverDue(opts());
    hook.respondWith.status = 200;
    await makeDue();
    await deliverDue(opts());
    expect(await rows()).toMatchObject([{ status: "delivered", attempts: 2 }]);
  });

  it("with no sink at all the row says so instead of vanishing", async () => {
    await t.db.$executeRaw`INSERT INTO notification_outbox (event, payload) VALUES ('test', '{}'::jsonb)`;
    await deliverDue({ ...opts(), envWebhookUrl: null });
    expect(await rows()).toMatchObject([{ status: "no_sink", lastError: expect.stringMatching(/no webhook URL is set/) }]);
  });

  it("an unprotected position is notified once per episode, after the grace period", async () => {
    await t.db.$executeRawUnsafe("TRUNCATE position_safety");
    await t.db.$executeRaw`INSERT INTO position_safety (symbol, position_side, size, entry_price, mark_price, unrealized_pnl, protected, unprotected_since, dual_position, seen_at)
      VALUES ('BTCUSDT', 'long', 1, 100, 100, 0, false, now() - interval '90 seconds', false, now()),
             ('ETHUSDT', 'long', 1, 100, 100, 0, false, now() - interval '10 seconds', false, now())`;
    const loop = new NotificationLoop({ ...opts(), intervalMs: 1_000 });
    await loop.tickOnce();
    await loop.tickOnce();
    expect((await rows()).map((r) => r.event)).toEqual(["unprotected_position"]);
    expect(texts()).toEqual([expect.stringMatching(/^:warning: BTCUSDT long on test-host has had no exchange-side stop since .+ \(over 60 s\)/)]);
  });

  it("the admin's URL is validated, used over the environment's, and never shown in full", async () => {
    const other = await startWebhookServer();
    try {
      const bad = await setSinkSettings(t.db, { webhookUrl: "http://example.com/hook", enabled: true, unprotectedGraceS: 30 }, { actor: "admin@test", httpHosts: ["127.0.0.1"] }).catch((e: unknown) => e);
      expect((bad as AppError).message).toMatch(/Plain http is allowed only to the hosts in NOTIFY_HTTP_HOSTS/);
      await setSinkSettings(t.db, { webhookUrl: other.url, enabled: true, unprotectedGraceS: 30 }, { actor: "admin@test", httpHosts: ["127.0.0.1"] });
      const pub = await publicSinkSettings(t.db, { envWebhookUrl: hook.url, httpHosts: ["127.0.0.1"] });
      expect(pub).toMatchObject({ webhookUrlMasked: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/…oken$/), fallbackFromEnvironment: false, unprotectedGraceS: 30, updatedBy: "admin@test" });
      expect(JSON.stringify(pub)).not.toContain("secret-token");
      await t.db.$executeRaw`INSERT INTO notification_outbox (event, payload) VALUES ('test', '{}'::jsonb)`;
      await deliverDue(opts());
      expect(other.bodies).toHaveLength(1);
      expect(hook.bodies).toHaveLength(0);
      // keeping the URL (absent) while changing the rest; then turning notifications off
      await setSinkSettings(t.db, { enabled: false, unprotectedGraceS: 30 }, { actor: "admin@test", httpHosts: [] });
      expect((await publicSinkSettings(t.db, { envWebhookUrl: null, httpHosts: [] })).webhookUrlMasked).not.toBeNull();
      await t.db.$executeRaw`INSERT INTO notification_outbox (event, payload) VALUES ('test', '{}'::jsonb)`;
      await deliverDue(opts());
      expect((await rows()).at(-1)).toMatchObject({ status: "no_sink", lastError: expect.stringMatching(/turned off/) });
    } finally {
      await t.db.$executeRawUnsafe("DELETE FROM notification_settings");
      await other.close();
    }
  });
});
