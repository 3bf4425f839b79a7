// The runbook's value_counts() and groupby(...).mean(): decisions and average confidence per type.
// Without a symbol filter it reads the per-minute rollup for the whole minutes of the range and
// the raw table only for the partial minutes at its edges (same answer, a fraction of the rows).
import { z } from "zod";
import type { Db } from "../../db/client";
import { splitAtMinutes } from "./minute-rollup";
import { rangeOf, type ShadowFilter } from "./shadow-filter";

export const DecisionDistributionSchema = z.object({
  total: z.number(),
  byType: z.array(z.object({ decisionType: z.string(), count: z.number(), share: z.number(), avgConfidence: z.number() })),
});
export type DecisionDistribution = z.infer<typeof DecisionDistributionSchema>;

type Row = { decision_type: string; n: bigint; avg_conf: number };

export async function getDecisionDistribution(db: Db, f: ShadowFilter, opts: { rollup?: boolean } = {}): Promise<DecisionDistribution> {
  const r = rangeOf(f);
  const rows = r.symbol || opts.rollup === false ? await fromRaw(db, r) : await fromRollup(db, r.since, r.until);
  const total = rows.reduce((s, x) => s + Number(x.n), 0);
  return {
    total,
    byType: rows.map((x) => ({ decisionType: x.decision_type, count: Number(x.n), share: total ? Number(x.n) / total : 0, avgConfidence: x.avg_conf })),
  };
}

function fromRaw(db: Db, r: ReturnType<typeof rangeOf>): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT decision_type, count(*) AS n, avg(confidence) AS avg_conf
      FROM shadow_decision
     WHERE at >= ${r.since} AND at < ${r.until} AND (${r.symbol}::text IS NULL OR symbol = ${r.symbol})
     GROUP BY decision_type ORDER BY n DESC, decision_type`;
}

function fromRollup(db: Db, since: Date, until: Date): Promise<Row[]> {
  const { lo, hi } = splitAtMinutes(since, until);
  return db.$queryRaw<Row[]>`
    SELECT decision_type, sum(n)::bigint AS n, sum(s) / sum(n)::float8 AS avg_conf
      FROM (SELECT decision_type, n, sum_confidence AS s
              FROM shadow_decision_minute WHERE bucket >= ${lo} AND bucket < ${hi}
            UNION ALL
            SELECT decision_type, count(*), sum(confidence)
              FROM shadow_decision
             WHERE (at >= ${since} AND at < ${lo}) OR (at >= ${hi} AND at < ${until})
             GROUP BY decision_type) p
     GROUP BY decision_type ORDER BY n DESC, decision_type`;
}
