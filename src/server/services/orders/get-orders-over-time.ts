// Gateway attempts per time bucket, by module and by kind, and the blocked legacy orders — the
// status page's charts. Bucketed in SQL.
import { z } from "zod";
import { LEGACY_MODULES } from "../../../core/gateway/modules";
import type { Db } from "../../db/client";
import { bucketWidthS } from "../shadow/time-buckets";

export const OrdersOverTimeInput = z.object({ sinceMinutes: z.number().int().min(1).max(60 * 24 * 30).default(60) });

export const OrdersOverTimeSchema = z.object({
  bucketSeconds: z.number(),
  points: z.array(z.object({ at: z.date(), module: z.string(), kind: z.string(), placed: z.number(), blockedLegacy: z.number() })),
});

export async function getOrdersOverTime(db: Db, input: { sinceMinutes?: number }, now = new Date()): Promise<z.infer<typeof OrdersOverTimeSchema>> {
  const since = new Date(now.getTime() - (input.sinceMinutes ?? 60) * 60_000);
  const width = bucketWidthS(since, now, 60);
  const legacy = [...LEGACY_MODULES];
  const rows = await db.$queryRaw<{ bucket: Date; module: string; kind: string; placed: bigint; blocked: bigint }[]>`
    SELECT to_timestamp(floor(extract(epoch FROM created_at) / ${width}) * ${width}) AS bucket, module, kind,
           count(*) FILTER (WHERE outcome = 'placed') AS placed,
           count(*) FILTER (WHERE outcome = 'blocked' AND module = ANY(${legacy})) AS blocked
      FROM exit_order_attempt WHERE created_at >= ${since}
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  return {
    bucketSeconds: width,
    points: rows.map((r) => ({ at: r.bucket, module: r.module, kind: r.kind, placed: Number(r.placed), blockedLegacy: Number(r.blocked) })),
  };
}
