import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postWebhook } from "./post-webhook";
import { startWebhookServer, type WebhookServer } from "./testing/webhook-server";

let server: WebhookServer;
beforeAll(async () => {
  server = await startWebhookServer();
});
afterAll(async () => server?.close());
beforeEach(() => {
  server.bodies.length = 0;
  server.respondWith.status = 200;
  server.respondWith.hang = false;
});

describe("postWebhook", () => {
  it("POSTs Slack-compatible JSON {text} and reports success", async () => {
    const res = await postWebhook(server.url, "kill switch: heartbeat_stale", { timeoutMs: 2_000 });
    expect(res).toEqual({ ok: true, status: 200, error: null });
    expect(server.bodies).toEqual([{ method: "POST", contentType: "application/json", json: { text: "kill switch: heartbeat_stale" } }]);
  });

  it("reports an HTTP error status without throwing", async () => {
    server.respondWith.status = 500;
    const res = await postWebhook(server.url, "x", { timeoutMs: 2_000 });
    expect(res).toMatchObject({ ok: false, status: 500, error: expect.stringMatching(/HTTP 500/) });
  });

  it("gives up after the timeout without throwing, and never echoes the secret URL", async () => {
    server.respondWith.hang = true;
    const res = await postWebhook(server.url, "x", { timeoutMs: 200 });
    expect(res).toMatchObject({ ok: false, status: null, error: "webhook call failed: no answer within 200 ms" });
    expect(res.error).not.toContain("secret-token");
  });

  it("reports a refused connection without throwing", async () => {
    const res = await postWebhook("http://127.0.0.1:1/hook", "x", { timeoutMs: 2_000 });
    expect(res.ok).toBe(false);
    expect(res.error).toMatch(/^webhook call failed: /);
  });
});
