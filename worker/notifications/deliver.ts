// Delivers the notification outbox to the one webhook sink (issue 16): claims due rows, posts
// each (JSON with a Slack-compatible `text`), records the outcome on the row, retries with
// back-off (src/core/notifications), and queues a notification for each position unprotected past
// the grace period. Runs in every worker (claims skip rows another deliverer holds); the watchdog
// delivers its own rollback's row at once through deliverByKey.
import { hostname } from "node:os";
import { MAX_DELIVERY_ATTEMPTS, renderNotification } from "../../src/core/notifications/notification";
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";
import { claimDue, enqueueUnprotected, recordOutcome, type OutboxRow } from "../../src/server/services/notifications/outbox";
import { readSinkSettings, resolveSinkUrl } from "../../src/server/services/notifications/settings";
import { PeriodicLoop } from "../periodic-loop";
import { postWebhook, type WebhookResult } from "./post-webhook";

export interface DeliveryOptions {
  db: Db;
  log: Logger;
  /** WATCHDOG_WEBHOOK_URL: the sink while an admin has set none on the dashboard */
  envWebhookUrl: string | null;
  timeoutMs: number;
  fetch?: typeof fetch;
  deployment?: string;
}

/** Posts one claimed row and records the outcome. Never throws for a sink problem. */
export async function deliverRow(o: DeliveryOptions, row: OutboxRow): Promise<WebhookResult | null> {
  const sink = await resolveSinkUrl(o.db, o.envWebhookUrl);
  if (!sink.url) {
    await recordOutcome(o.db, row, { noSink: sink.why ?? "no sink" });
    o.log.info(`[NOTIFY] #${row.id} ${row.event} not sent: ${sink.why}`);
    return null;
  }
  let res: WebhookResult;
  try {
    const msg = renderNotification(row, o.deployment ?? hostname());
    res = await postWebhook(sink.url, msg.body, { timeoutMs: o.timeoutMs, fetch: o.fetch });
  } catch (err) {
    // a payload the renderer refuses: recorded like a failed post, so it shows in the table
    res = { ok: false, status: null, error: `cannot render the notification: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}` };
  }
  const status = await recordOutcome(o.db, row, res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: res.error ?? "failed" });
  if (status === "delivered") o.log.info(`[NOTIFY] #${row.id} ${row.event} delivered (HTTP ${res.status})`);
  else if (status === "failed") o.log.error(`[NOTIFY] ❌ #${row.id} ${row.event} given up after ${row.attempts} attempts: ${res.error}`);
  else o.log.warn(`[NOTIFY] ⚠️  #${row.id} ${row.event} attempt ${row.attempts}/${MAX_DELIVERY_ATTEMPTS} failed: ${res.error}; retried after a back-off`);
  return res;
}

const leaseMs = (o: DeliveryOptions) => o.timeoutMs + 5_000;

/** Delivers every due row (at most `max`); returns how many were attempted. */
export async function deliverDue(o: DeliveryOptions, max = 50): Promise<number> {
  let n = 0;
  while (n < max) {
    const row = await claimDue(o.db, { leaseMs: leaseMs(o) });
    if (!row) break;
    n++;
    await deliverRow(o, row);
  }
  return n;
}

/** Delivers the one row with this dedupe key now, if it is due (e.g. "toggle_audit:42"). */
export async function deliverByKey(o: DeliveryOptions, dedupeKey: string): Promise<WebhookResult | null> {
  const row = await claimDue(o.db, { leaseMs: leaseMs(o), dedupeKey });
  return row ? deliverRow(o, row) : null;
}

/** The worker's loop: unprotected positions past the grace period are queued, due rows delivered. */
export class NotificationLoop {
  private readonly loop: PeriodicLoop;

  constructor(private readonly o: DeliveryOptions & { intervalMs: number }) {
    this.loop = new PeriodicLoop({
      run: () => this.tickOnce(),
      intervalMs: o.intervalMs,
      // the database is unreachable: rows stay queued and are delivered when it is back
      onOutage: (err) => o.log.warn(`[NOTIFY] outbox check failed (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); retrying. Is PostgreSQL reachable?`),
      onRecovery: () => o.log.info("[NOTIFY] outbox reachable again"),
    });
  }

  start(): this {
    this.loop.start();
    return this;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async tickOnce(): Promise<void> {
    const settings = await readSinkSettings(this.o.db);
    const queued = await enqueueUnprotected(this.o.db, settings.unprotectedGraceS);
    if (queued > 0) this.o.log.warn(`[NOTIFY] ${queued} position(s) unprotected for over ${settings.unprotectedGraceS} s: notification queued`);
    await deliverDue(this.o);
  }
}

export function startNotificationLoop(o: DeliveryOptions & { intervalMs?: number }): NotificationLoop {
  return new NotificationLoop({ ...o, intervalMs: o.intervalMs ?? 1_000 }).start();
}
