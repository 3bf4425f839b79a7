// Real PostgreSQL and a real HTTP sink (issue 16): the four-eyes path to LIVE notifies at each
// step. The request queues `live_request_pending`; a refused self-approval queues nothing; the
// approval by a different operator queues `live_request_approved` naming both operators, in the
// same transaction as the toggle change to LIVE (which queues its own "Exit Brain is LIVE").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { AppError } from "../../src/server/errors";
import { createLogger } from "../../src/server/logger";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { approveLive, requestLive, type LiveRequestContext } from "../../src/server/services/toggles/live-requests";
import { deliverDue, type DeliveryOptions } from "./deliver";
import { startWebhookServer, type WebhookServer } from "./testing/webhook-server";

let t: TestDatabase;
let hook: WebhookServer;
const log = createLogger({ name: "notify-live-test", level: "silent", console: false });

beforeAll(async () => {
  t = await createTestDatabase("notifylive");
  await bootToggles(t.db, {});
  await changeToggles(t.db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, actor: "setup@test", source: "cli", reason: "shadow first", ceilings: {} });
  await t.db.$executeRawUnsafe("DELETE FROM notification_outbox");
  hook = await startWebhookServer();
});
afterAll(async () => {
  await hook?.close();
  await t?.drop();
});

const opts = (): DeliveryOptions => ({ db: t.db, log, envWebhookUrl: hook.url, timeoutMs: 2_000, deployment: "test-host" });
const rows = () => t.db.notificationOutbox.findMany({ orderBy: { id: "asc" } });
type Posted = { json: { text: string; event: string; details: Record<string, unknown> } };
const posted = () => hook.bodies.map((b) => (b as Posted).json);
const ctx = (actor: string): LiveRequestContext => ({ actor, source: "dashboard", ceilings: {}, requireReadiness: false });

describe("LIVE request notifications", () => {
  it("a request, then its approval by a different operator, each notify the sink; a refused self-approval does not", async () => {
    const req = await requestLive(t.db, { confirmation: "GO LIVE", reason: "24 h of clean shadow" }, ctx("alice@test"));
    expect((await rows()).map((r) => r.event)).toEqual(["live_request_pending"]);
    expect(await deliverDue(opts())).toBe(1);
    expect(posted()[0]).toMatchObject({ event: "live_request_pending", details: { request_id: req.id, requested_by: "alice@test", reason: "24 h of clean shadow" } });
    expect(posted()[0]!.text).toMatch(new RegExp(`^:hourglass: LIVE request #${req.id} by alice@test on test-host waits for a different operator's approval until \\S+: 24 h of clean shadow$`));

    // the requester cannot approve: refused, rolled back, nothing queued
    const self = await approveLive(t.db, req.id, ctx("alice@test")).catch((e: unknown) => e);
    expect(self).toBeInstanceOf(AppError);
    expect((self as AppError).message).toMatch(/a different operator must approve/);
    expect(await rows()).toHaveLength(1);

    const outcome = await approveLive(t.db, req.id, ctx("bob@test"));
    expect(outcome).toMatchObject({ changed: true, stateAfter: "EXIT_BRAIN_V3_LIVE" });
    // the approval (its own row, queued by the live_request trigger) and the change to LIVE, in that order
    expect((await rows()).map((r) => [r.event, r.status])).toEqual([
      ["live_request_pending", "delivered"],
      ["live_request_approved", "pending"],
      ["toggle_change", "pending"],
    ]);
    expect(await deliverDue(opts())).toBe(2);
    expect(posted()).toHaveLength(3);
    const [, approved, live] = posted();
    expect(approved).toMatchObject({
      event: "live_request_approved",
      details: { request_id: req.id, requested_by: "alice@test", decided_by: "bob@test", status: "approved", reason: "24 h of clean shadow" },
    });
    expect(approved!.text).toBe(`:white_check_mark: LIVE request #${req.id} by alice@test approved by bob@test on test-host`);
    expect(live).toMatchObject({ event: "toggle_change", details: { actor: "bob@test", source: "dashboard", state_before: "EXIT_BRAIN_V3_SHADOW", state_after: "EXIT_BRAIN_V3_LIVE" } });
    expect(live!.text).toMatch(
      new RegExp(`^:red_circle: Exit Brain is LIVE on test-host: EXIT_BRAIN_V3_SHADOW -> EXIT_BRAIN_V3_LIVE, version \\d+ -> \\d+ \\(audit #\\d+, bob@test via dashboard\\): LIVE request #${req.id} by alice@test approved by bob@test: 24 h of clean shadow$`),
    );
    expect((await rows()).every((r) => r.status === "delivered")).toBe(true);
    // each posted once
    expect(await deliverDue(opts())).toBe(0);
  });
});
