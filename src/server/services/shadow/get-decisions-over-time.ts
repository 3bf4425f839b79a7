// Decisions per time bucket and type (bucketed in SQL with date_bin, epoch-aligned), for the
// stacked chart. Without a symbol filter and with buckets of whole minutes (every range longer
// than ~2 h) it reads the per-minute rollup, and the raw table only for the range's partial edge
// minutes; the answer is the raw table's.
import { z } from "zod";
import type { Db } from "../../db/client";
import { rollupServesWidth, splitAtMinutes } from "./minute-rollup";
import { rangeOf, type ShadowFilter } from "./shadow-filter";
import { bucketWidthS } from "./time-buckets";

export const DecisionsOverTimeSchema = z.object({
  bucketSeconds: z.number(),
  points: z.array(z.object({ at: z.date(), decisionType: z.string(), count: z.number() })),
});

type Row = { bucket: Date; decision_type: string; n: bigint };

export async function getDecisionsOverTime(
  db: Db, f: ShadowFilter, now = new Date(), opts: { rollup?: boolean } = {},
): Promise<z.infer<typeof DecisionsOverTimeSchema>> {
  const r = rangeOf(f);
  // An open range is charted over the data that exists, not over the epoch (min/max: two probes of the at index).
  const [span] = await db.$queryRaw<{ lo: Date | null; hi: Date | null }[]>`
    SELECT min(at) AS lo, max(at) AS hi FROM shadow_decision
     WHERE at >= ${r.since} AND at < ${r.until} AND (${r.symbol}::text IS NULL OR symbol = ${r.symbol})`;
  if (!span?.lo || !span.hi) return { bucketSeconds: 60, points: [] };
  const from = f.since ?? span.lo;
  const to = f.until ?? (f.since ? now : new Date(span.hi.getTime() + 1));
  const width = bucketWidthS(from, to);
  const useRollup = !r.symbol && rollupServesWidth(width) && opts.rollup !== false;
  const rows = useRollup ? await fromRollup(db, r.since, r.until, width) : await fromRaw(db, r, width);
  return { bucketSeconds: width, points: rows.map((x) => ({ at: x.bucket, decisionType: x.decision_type, count: Number(x.n) })) };
}

function fromRaw(db: Db, r: ReturnType<typeof rangeOf>, width: number): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT date_bin(${width}::int * interval '1 second', at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, decision_type, count(*) AS n
      FROM shadow_decision
     WHERE at >= ${r.since} AND at < ${r.until} AND (${r.symbol}::text IS NULL OR symbol = ${r.symbol})
     GROUP BY 1, 2 ORDER BY 1, 2`;
}

function fromRollup(db: Db, since: Date, until: Date, width: number): Promise<Row[]> {
  const { lo, hi } = splitAtMinutes(since, until);
  return db.$queryRaw<Row[]>`
    SELECT date_bin(${width}::int * interval '1 second', t, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, decision_type, sum(n)::bigint AS n
      FROM (SELECT bucket AS t, decision_type, n
              FROM shadow_decision_minute WHERE bucket >= ${lo} AND bucket < ${hi}
            UNION ALL
            SELECT at, decision_type, 1::bigint
              FROM shadow_decision
             WHERE (at >= ${since} AND at < ${lo}) OR (at >= ${hi} AND at < ${until})) p
     GROUP BY 1, 2 ORDER BY 1, 2`;
}
