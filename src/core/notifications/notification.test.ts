import { describe, expect, it } from "vitest";
import { maskWebhookUrl, MAX_DELIVERY_ATTEMPTS, renderNotification, deliveryRetryDelayMs, webhookUrlProblem } from "./notification";

describe("notifications (pure)", () => {
  it("back-off doubles from 5 s, capped at 10 min, and gives up after the last attempt", () => {
    expect([1, 2, 3, 4].map(deliveryRetryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(deliveryRetryDelayMs(MAX_DELIVERY_ATTEMPTS - 1)).toBeLessThanOrEqual(600_000);
    expect(deliveryRetryDelayMs(MAX_DELIVERY_ATTEMPTS)).toBeNull();
  });

  it("a rollback reads as one Slack line with the transition, the audit row and the reason", () => {
    const r = renderNotification(
      { id: 7, event: "rollback", created_at: new Date("2026-11-27T10:00:00Z"), payload: { audit_id: 12, actor: "op@x", source: "dashboard", kind: "rollback", reason: "Rollback C: back to LEGACY", version_before: 4, version_after: 5, state_before: "EXIT_BRAIN_V3_LIVE", state_after: "LEGACY" } },
      "host-a",
    );
    expect(r.text).toBe(":leftwards_arrow_with_hook: Exit Brain rollback on host-a: EXIT_BRAIN_V3_LIVE -> LEGACY, version 4 -> 5 (audit #12, op@x via dashboard): Rollback C: back to LEGACY");
    expect(r.body).toMatchObject({ text: r.text, event: "rollback", notification_id: 7, at: "2026-11-27T10:00:00.000Z" });
  });

  it("a bad payload is refused, not rendered as nonsense", () => {
    expect(() => renderNotification({ id: 1, event: "unprotected_position", created_at: new Date(), payload: { size: "many" } }, "h")).toThrow();
  });

  it("webhook URLs: https anywhere, http only to configured hosts, no credentials", () => {
    expect(webhookUrlProblem("https://hooks.slack.com/services/T/B/x", [])).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:9/hook", ["127.0.0.1"])).toBeNull();
    expect(webhookUrlProblem("http://intranet/hook", ["127.0.0.1"])).toMatch(/NOTIFY_HTTP_HOSTS \(127\.0\.0\.1\)/);
    expect(webhookUrlProblem("ftp://x/y", [])).toMatch(/https:\/\//);
    expect(webhookUrlProblem("https://u:p@x/y", [])).toMatch(/user name or password/);
    expect(webhookUrlProblem("hooks.slack.com", [])).toMatch(/Not a URL/);
  });

  it("the browser sees only scheme, host and the last 4 characters", () => {
    expect(maskWebhookUrl("https://hooks.slack.com/services/T000/B000/secret-token")).toBe("https://hooks.slack.com/…oken");
    expect(maskWebhookUrl(null)).toBeNull();
  });
});
