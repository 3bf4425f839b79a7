// The notification outbox (migration 0014): rows queued by triggers in the event's own transaction
// (toggle changes, LIVE requests) or here (unprotected positions, tests); claimed by a deliverer
// with a lease (so two deliverers never post one row at once, and a crashed one's row is retried),
// and each attempt's outcome recorded on the row.
import { z } from "zod";
import { deliveryRetryDelayMs, MAX_DELIVERY_ATTEMPTS } from "../../../core/notifications/notification";
import type { Db } from "../../db/client";

export interface OutboxRow {
  id: number;
  event: string;
  created_at: Date;
  payload: unknown;
  attempts: number;
}

interface RawRow {
  id: bigint;
  event: string;
  created_at: Date;
  payload: unknown;
  attempts: number;
}
const toRow = (r: RawRow): OutboxRow => ({ id: Number(r.id), event: r.event, created_at: r.created_at, payload: r.payload, attempts: r.attempts });

/**
 * Claims the oldest due pending row (or the one with `dedupeKey`): counts the attempt and holds it
 * for `leaseMs` (longer than one post can take). Null when nothing is due.
 */
export async function claimDue(db: Db, opts: { leaseMs: number; dedupeKey?: string }): Promise<OutboxRow | null> {
  const key = opts.dedupeKey ?? null;
  const rows = await db.$queryRaw<RawRow[]>`
    UPDATE notification_outbox o
       SET attempts = o.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + (${opts.leaseMs}::float8 * interval '1 millisecond')
     WHERE o.id = (SELECT id FROM notification_outbox
                    WHERE status = 'pending' AND next_attempt_at <= now() AND (${key}::text IS NULL OR dedupe_key = ${key}::text)
                    ORDER BY next_attempt_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING o.id, o.event, o.created_at, o.payload, o.attempts`;
  return rows[0] ? toRow(rows[0]) : null;
}

export type AttemptOutcome = { ok: true; status: number | null } | { ok: false; status: number | null; error: string } | { noSink: string };

/** Records one attempt: delivered, or pending again after the back-off, or failed after the last try, or no sink. */
export async function recordOutcome(db: Db, row: OutboxRow, outcome: AttemptOutcome): Promise<"delivered" | "pending" | "failed" | "no_sink"> {
  if ("noSink" in outcome) {
    await db.$executeRaw`UPDATE notification_outbox SET status = 'no_sink', last_error = ${outcome.noSink} WHERE id = ${row.id}`;
    return "no_sink";
  }
  if (outcome.ok) {
    await db.$executeRaw`UPDATE notification_outbox SET status = 'delivered', delivered_at = now(), last_http_status = ${outcome.status}, last_error = NULL WHERE id = ${row.id}`;
    return "delivered";
  }
  const delay = deliveryRetryDelayMs(row.attempts);
  if (delay === null) {
    await db.$executeRaw`UPDATE notification_outbox SET status = 'failed', last_http_status = ${outcome.status}, last_error = ${outcome.error} WHERE id = ${row.id}`;
    return "failed";
  }
  await db.$executeRaw`UPDATE notification_outbox SET next_attempt_at = now() + (${delay}::float8 * interval '1 millisecond'),
      last_http_status = ${outcome.status}, last_error = ${outcome.error} WHERE id = ${row.id}`;
  return "pending";
}

/**
 * Queues one notification per unprotected episode of a position (the dedupe key names the
 * episode's start), once it has lasted longer than the grace period. Returns how many were new.
 */
export async function enqueueUnprotected(db: Db, graceS: number): Promise<number> {
  return db.$executeRaw`
    INSERT INTO notification_outbox (event, dedupe_key, payload)
    SELECT 'unprotected_position',
           'unprotected:' || symbol || ':' || position_side || ':' || floor(extract(epoch FROM unprotected_since) * 1000)::bigint,
           jsonb_build_object('symbol', symbol, 'position_side', position_side, 'size', size, 'unprotected_since', unprotected_since, 'grace_s', ${graceS}::int)
      FROM position_safety
     WHERE NOT protected AND size <> 0 AND unprotected_since IS NOT NULL AND unprotected_since < now() - (${graceS}::float8 * interval '1 second')
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

export async function enqueueTest(db: Db, actor: string): Promise<number> {
  const [r] = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO notification_outbox (event, payload) VALUES ('test', jsonb_build_object('requested_by', ${actor}::text)) RETURNING id`;
  return Number(r!.id);
}

export const DeliverySchema = z.object({
  id: z.number(),
  createdAt: z.date(),
  event: z.string(),
  status: z.enum(["pending", "delivered", "failed", "no_sink"]),
  attempts: z.number(),
  maxAttempts: z.number(),
  nextAttemptAt: z.date().nullable(),
  lastHttpStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.date().nullable(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

export async function listDeliveries(db: Db, limit = 50): Promise<Delivery[]> {
  const rows = await db.notificationOutbox.findMany({ orderBy: { id: "desc" }, take: limit });
  return rows.map((r) => ({
    id: Number(r.id),
    createdAt: r.createdAt,
    event: r.event,
    status: DeliverySchema.shape.status.parse(r.status),
    attempts: r.attempts,
    maxAttempts: MAX_DELIVERY_ATTEMPTS,
    nextAttemptAt: r.status === "pending" ? r.nextAttemptAt : null,
    lastHttpStatus: r.lastHttpStatus,
    lastError: r.lastError,
    deliveredAt: r.deliveredAt,
  }));
}
