// Notifications (issue 16): what each event says, the webhook body (JSON with a Slack-compatible
// `text`), the retry schedule, and the webhook URL rules. Pure; the outbox rows are written by
// database triggers (migration 0014) or the worker, delivered by worker/notifications.
import { z } from "zod";
import { retryDelayMs, type RetryBackoff } from "../retry/backoff";

export const NOTIFICATION_EVENTS = [
  "toggle_change",
  "rollback",
  "watchdog_rollback",
  "live_request_pending",
  "live_request_approved",
  "live_request_closed",
  "unprotected_position",
  "test",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Attempts before a notification is given up (status failed, kept in the deliveries table). */
export const MAX_DELIVERY_ATTEMPTS = 8;
const DELIVERY_BACKOFF: RetryBackoff = { firstMs: 5_000, maxMs: 10 * 60_000 };

/** Back-off after the n-th failed attempt (n >= 1): 5 s, 10 s, 20 s, … capped at 10 min; null = give up. */
export function deliveryRetryDelayMs(attempts: number): number | null {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return null;
  return retryDelayMs(Math.max(1, attempts), DELIVERY_BACKOFF);
}

const str = z.string().nullish();
const num = z.coerce.number().nullish();
const ToggleAuditPayload = z.object({
  audit_id: num, at: str, actor: str, source: str, kind: str, reason: str, version_before: num, version_after: num,
  state_before: str, state_after: str, toggles_after: z.record(z.string(), z.unknown()).nullish(),
});
const LiveRequestPayload = z.object({ request_id: num, requested_by: str, reason: str, expires_at: str, status: str, decided_by: str });
const UnprotectedPayload = z.object({ symbol: str, position_side: str, size: num, unprotected_since: str, grace_s: num });
const TestPayload = z.object({ requested_by: str });

export interface RenderedNotification {
  /** one line for chat, Slack's `text` */
  text: string;
  /** the JSON body posted to the sink */
  body: Record<string, unknown>;
}

const q = (s: string | null | undefined) => (s ? `: ${s}` : "");

/** The message for an outbox row. Payloads come from the database: parsed, never trusted blindly. */
export function renderNotification(row: { id: number; event: string; created_at: Date; payload: unknown }, deployment: string): RenderedNotification {
  const at = row.created_at.toISOString();
  let text: string;
  let details: Record<string, unknown> = {};
  switch (row.event as NotificationEvent) {
    case "toggle_change":
    case "rollback":
    case "watchdog_rollback": {
      const p = ToggleAuditPayload.parse(row.payload);
      details = p;
      const transition = p.state_before === p.state_after ? `state stays ${p.state_after}` : `${p.state_before ?? "(none)"} -> ${p.state_after}`;
      const who = `${p.actor ?? "?"} via ${p.source ?? "?"}`;
      const head =
        row.event === "watchdog_rollback"
          ? ":rotating_light: Exit Brain watchdog triggered the kill switch"
          : row.event === "rollback"
            ? ":leftwards_arrow_with_hook: Exit Brain rollback"
            : p.state_after === "EXIT_BRAIN_V3_LIVE" && p.state_before !== "EXIT_BRAIN_V3_LIVE"
              ? ":red_circle: Exit Brain is LIVE"
              : ":gear: Exit Brain toggle change";
      text = `${head} on ${deployment}: ${transition}, version ${p.version_before ?? "-"} -> ${p.version_after ?? "?"} (audit #${p.audit_id ?? "?"}, ${who})${q(p.reason)}`;
      break;
    }
    case "live_request_pending": {
      const p = LiveRequestPayload.parse(row.payload);
      details = p;
      text = `:hourglass: LIVE request #${p.request_id ?? "?"} by ${p.requested_by ?? "?"} on ${deployment} waits for a different operator's approval until ${p.expires_at ?? "?"}${q(p.reason)}`;
      break;
    }
    case "live_request_approved":
    case "live_request_closed": {
      const p = LiveRequestPayload.parse(row.payload);
      details = p;
      text =
        row.event === "live_request_approved"
          ? `:white_check_mark: LIVE request #${p.request_id ?? "?"} by ${p.requested_by ?? "?"} approved by ${p.decided_by ?? "?"} on ${deployment}`
          : `:heavy_minus_sign: LIVE request #${p.request_id ?? "?"} by ${p.requested_by ?? "?"} on ${deployment} is ${p.status ?? "closed"}${p.decided_by ? ` (by ${p.decided_by})` : ""}`;
      break;
    }
    case "unprotected_position": {
      const p = UnprotectedPayload.parse(row.payload);
      details = p;
      text = `:warning: ${p.symbol ?? "?"} ${p.position_side ?? "?"} on ${deployment} has had no exchange-side stop since ${p.unprotected_since ?? "?"} (over ${p.grace_s ?? "?"} s): place one, or roll back`;
      break;
    }
    case "test": {
      const p = TestPayload.parse(row.payload);
      details = p;
      text = `:bell: Test notification from Exit Brain on ${deployment}${p.requested_by ? `, sent by ${p.requested_by}` : ""}`;
      break;
    }
    default:
      text = `Exit Brain event ${row.event} on ${deployment}`;
  }
  return { text, body: { text, event: row.event, notification_id: row.id, at, deployment, details } };
}

/** A webhook URL an admin may set: https to any host, plain http only to a host listed in NOTIFY_HTTP_HOSTS. */
export function webhookUrlProblem(raw: string, httpHosts: readonly string[]): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return "Not a URL: give the full webhook address, e.g. https://hooks.slack.com/services/…";
  }
  if (u.username || u.password) return "The URL must not contain a user name or password.";
  if (u.protocol === "https:") return null;
  if (u.protocol === "http:") {
    if (httpHosts.includes(u.hostname)) return null;
    return `Plain http is allowed only to the hosts in NOTIFY_HTTP_HOSTS (${httpHosts.length ? httpHosts.join(", ") : "none set"}); use https://, or add ${u.hostname} there.`;
  }
  return `The URL must start with https:// (got ${u.protocol}).`;
}

/** What a browser may see of the secret URL: scheme, host and the last 4 characters. */
export function maskWebhookUrl(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    const tail = raw.length > 12 ? raw.slice(-4) : "";
    return `${u.protocol}//${u.host}/…${tail}`;
  } catch {
    return "(set)";
  }
}
