// The runbook's emergency = df[decision_type == 'full_exit_now']: which symbols, how often, why.
import { z } from "zod";
import type { Db } from "../../db/client";
import { rangeOf, type ShadowFilter } from "./shadow-filter";

export const EmergencyExitSchema = z.object({
  symbol: z.string(),
  count: z.number(),
  avgConfidence: z.number(),
  lastAt: z.date(),
  lastReason: z.string(),
});

export async function listEmergencyExits(db: Db, f: ShadowFilter): Promise<z.infer<typeof EmergencyExitSchema>[]> {
  const r = rangeOf(f);
  const rows = await db.$queryRaw<{ symbol: string; n: bigint; avg_conf: number; last_at: Date; last_reason: string }[]>`
    SELECT symbol, count(*) AS n, avg(confidence) AS avg_conf, max(at) AS last_at,
           (array_agg(reason ORDER BY at DESC))[1] AS last_reason
      FROM shadow_decision
     WHERE decision_type = 'full_exit_now' AND at >= ${r.since} AND at < ${r.until}
       AND (${r.symbol}::text IS NULL OR symbol = ${r.symbol})
     GROUP BY symbol ORDER BY n DESC, symbol LIMIT 100`;
  return rows.map((x) => ({ symbol: x.symbol, count: Number(x.n), avgConfidence: x.avg_conf, lastAt: x.last_at, lastReason: x.last_reason }));
}
