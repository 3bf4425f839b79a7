// AI vs legacy, per closed position and in total: what Exit Brain's decisions would have
// returned against what the legacy modules did on the same position.
import { z } from "zod";
import { shadowComparisonStats } from "../../../core/readiness/shadow-comparison-test";
import { env } from "../../../env.js";
import type { Db } from "../../db/client";
import { minShadowPositions, PAIRS_CAP } from "../readiness/get-readiness";
import { toShadowPair, type ShadowPairRow } from "../readiness/shadow-pairs";
import { rangeOf, type ShadowFilter } from "./shadow-filter";

export const ShadowComparisonSchema = z.object({
  total: z.object({
    positions: z.number(),
    brainAvgReturnPct: z.number().nullable(),
    legacyAvgReturnPct: z.number().nullable(),
    brainSumReturnPct: z.number(),
    legacySumReturnPct: z.number(),
    brainBetter: z.number(),
    legacyBetter: z.number(),
    ties: z.number(),
    /** the readiness check's paired test over the positions in range (days as units) */
    test: z.object({
      /** positions the test is over (Exit Brain closed some or all itself) */
      positions: z.number(),
      /** positions left out: Exit Brain still held them at legacy's close (valued at it) */
      heldToClose: z.number(),
      days: z.number(),
      meanDiffPct: z.number().nullable(),
      ci95: z.tuple([z.number(), z.number()]).nullable(),
      p: z.number().nullable(),
      verdict: z.enum(["insufficient", "worse", "not_worse"]),
      minPositions: z.number(),
    }),
  }),
  positions: z.array(
    z.object({
      positionKey: z.string(),
      symbol: z.string(),
      side: z.string(),
      size: z.number(),
      entryPrice: z.number(),
      openedAt: z.date(),
      closedAt: z.date(),
      legacyReturnPct: z.number(),
      brainReturnPct: z.number(),
      legacyExit: z.string(),
      brainExit: z.string(),
      decisions: z.number(),
      heldToClose: z.boolean(),
    }),
  ),
});
export type ShadowComparisonView = z.infer<typeof ShadowComparisonSchema>;

/** Newest 200 positions are listed; the total covers the whole filtered range. */
export async function getShadowComparison(db: Db, f: ShadowFilter): Promise<ShadowComparisonView> {
  const r = rangeOf(f);
  const [t] = await db.$queryRaw<
    { n: bigint; brain_avg: number | null; legacy_avg: number | null; brain_sum: number | null; legacy_sum: number | null; brain_better: bigint; legacy_better: bigint }[]
  >`
    SELECT count(*) AS n, avg(brain_return_pct) AS brain_avg, avg(legacy_return_pct) AS legacy_avg,
           sum(brain_return_pct) AS brain_sum, sum(legacy_return_pct) AS legacy_sum,
           count(*) FILTER (WHERE brain_return_pct > legacy_return_pct) AS brain_better,
           count(*) FILTER (WHERE brain_return_pct < legacy_return_pct) AS legacy_better
      FROM shadow_comparison
     WHERE closed_at >= ${r.since} AND closed_at < ${r.until} AND (${r.symbol}::text IS NULL OR symbol = ${r.symbol})`;
  const positions = await db.shadowComparison.findMany({
    where: { closedAt: { gte: r.since, lt: r.until }, ...(r.symbol ? { symbol: r.symbol } : {}) },
    orderBy: { closedAt: "desc" },
    take: 200,
    omit: { computedAt: true },
  });
  const pairs = await db.$queryRaw<ShadowPairRow[]>`
    SELECT brain_return_pct AS brain, legacy_return_pct AS legacy, closed_at, held_to_close
      FROM shadow_comparison
     WHERE closed_at >= ${r.since} AND closed_at < ${r.until} AND (${r.symbol}::text IS NULL OR symbol = ${r.symbol})
     ORDER BY closed_at DESC LIMIT ${PAIRS_CAP}`;
  const stats = shadowComparisonStats(pairs.map(toShadowPair), minShadowPositions(env()));
  const n = Number(t?.n ?? 0);
  const brainBetter = Number(t?.brain_better ?? 0);
  const legacyBetter = Number(t?.legacy_better ?? 0);
  return {
    total: {
      positions: n,
      brainAvgReturnPct: t?.brain_avg ?? null,
      legacyAvgReturnPct: t?.legacy_avg ?? null,
      brainSumReturnPct: t?.brain_sum ?? 0,
      legacySumReturnPct: t?.legacy_sum ?? 0,
      brainBetter,
      legacyBetter,
      ties: n - brainBetter - legacyBetter,
      test: { positions: stats.positions, heldToClose: stats.heldToClose, days: stats.days, meanDiffPct: stats.meanDiffPct, ci95: stats.ci95, p: stats.p, verdict: stats.verdict, minPositions: stats.minPositions },
    },
    positions,
  };
}
