// Decisions per time bucket and type (bucketed in SQL with date_bin, epoch-aligned), for the
// stacked chart. Without a symbol filter and with buckets of whole minutes (every range longer
// than ~2 h) it reads the per-minute rollup, and the raw table only for the range's partial edge
// minutes; the answer is the raw table's.
// Full decisions are kept for the retention period (whole day partitions dropped), the rollup
// forever: an open range starts where the rollup does, and `retention` says which older part of
// the chart comes from the rollup alone (or, filtered by symbol, is not shown: the rollup has no
// symbol).
import { z } from "zod";
import type { Db } from "../../db/client";
import { rollupServesWidth, splitAtMinutes } from "./minute-rollup";
import { rangeOf, type ShadowFilter } from "./shadow-filter";
import { bucketWidthS } from "./time-buckets";

export const DecisionsOverTimeSchema = z.object({
  bucketSeconds: z.number(),
  points: z.array(z.object({ at: z.date(), decisionType: z.string(), count: z.number() })),
  /** set when the rollup reaches further back than the full decisions kept (retention) */
  retention: z
    .object({
      /** oldest full decision in the range (null: none kept) */
      rawFrom: z.date().nullable(),
      /** oldest minute of the rollup in the range */
      rollupFrom: z.date(),
      /** the chart shows the rollup's older counts (false with a symbol filter) */
      shown: z.boolean(),
    })
    .nullable(),
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
  // The rollup outlives the full decisions (retention drops day partitions, not rollup minutes).
  const [kept] = opts.rollup === false ? [] : await db.$queryRaw<{ lo: Date | null; hi: Date | null }[]>`
    SELECT min(bucket) AS lo, max(bucket) AS hi FROM shadow_decision_minute WHERE n > 0 AND bucket >= ${r.since} AND bucket < ${r.until}`;
  const rawLo = span?.lo ?? null;
  const older = kept?.lo && (!rawLo || kept.lo.getTime() < Math.floor(rawLo.getTime() / 60_000) * 60_000) ? kept.lo : null;
  const showOlder = older !== null && !r.symbol;
  const lo = showOlder ? older : rawLo;
  const hi = showOlder && kept?.hi && (!span?.hi || kept.hi.getTime() + 59_999 > span.hi.getTime()) ? new Date(kept.hi.getTime() + 59_999) : span?.hi ?? null;
  const retention = older ? { rawFrom: rawLo, rollupFrom: older, shown: showOlder } : null;
  if (!lo || !hi) return { bucketSeconds: 60, points: [], retention };
  const from = f.since ?? lo;
  const to = f.until ?? (f.since ? now : new Date(hi.getTime() + 1));
  const width = bucketWidthS(from, to);
  const useRollup = !r.symbol && rollupServesWidth(width) && opts.rollup !== false;
  const rows = useRollup ? await fromRollup(db, r.since, r.until, width) : await fromRaw(db, r, width);
  return {
    bucketSeconds: width,
    points: rows.map((x) => ({ at: x.bucket, decisionType: x.decision_type, count: Number(x.n) })),
    retention: retention && { ...retention, shown: retention.shown && useRollup },
  };
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
