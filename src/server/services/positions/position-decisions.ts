// One position's decisions, newest first, a page at a time (keyset on (at, id): a page stays the
// same while new decisions arrive at the head). The position page shows the newest page with the
// rest of its data and asks for older ones on demand: sending a busy position's whole history with
// every refresh (1,000 rows, 206 KB, every 2 s) was most of the page's weight.
import { z } from "zod";
import type { Db } from "../../db/client";

/** Decisions per page on the position page. */
export const DECISIONS_PAGE = 50;

const n = z.number().nullable();
export const PositionDecisionSchema = z.object({
  id: z.number(), at: z.date(), type: z.string(), confidence: z.number(), reason: z.string(), markPrice: z.number(), pnlPct: z.number(),
  newSl: n, newTp: n, fraction: n, mode: z.string(),
});
export type PositionDecision = z.infer<typeof PositionDecisionSchema>;

/** Where an older page starts: strictly before this decision. */
export const DecisionCursorSchema = z.object({ at: z.number().int().nonnegative(), id: z.number().int().nonnegative() }).strict();

export const PositionDecisionsInput = z.object({
  positionKey: z.string().trim().min(1).max(120),
  before: DecisionCursorSchema.optional(),
  limit: z.number().int().min(1).max(200).default(DECISIONS_PAGE),
}).strict();

export const PositionDecisionPageSchema = z.object({
  rows: z.array(PositionDecisionSchema),
  /** the cursor of the next (older) page, null when this one reaches the first decision */
  older: DecisionCursorSchema.nullable(),
});
export type PositionDecisionPage = z.infer<typeof PositionDecisionPageSchema>;

export async function listPositionDecisions(db: Pick<Db, "shadowDecision">, input: z.input<typeof PositionDecisionsInput>): Promise<PositionDecisionPage> {
  const { positionKey, before, limit } = PositionDecisionsInput.parse(input);
  const at = before ? new Date(before.at) : null;
  const rows = await db.shadowDecision.findMany({
    where: { positionKey, ...(before && at ? { OR: [{ at: { lt: at } }, { at, id: { lt: BigInt(before.id) } }] } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, at: true, decisionType: true, confidence: true, reason: true, markPrice: true, pnlPct: true, newSl: true, newTp: true, fraction: true, mode: true },
  });
  const page = rows.slice(0, limit).map((d) => ({
    id: Number(d.id), at: d.at, type: d.decisionType, confidence: d.confidence, reason: d.reason, markPrice: d.markPrice, pnlPct: d.pnlPct,
    newSl: d.newSl, newTp: d.newTp, fraction: d.fraction, mode: d.mode,
  }));
  const last = page.at(-1);
  return { rows: page, older: rows.length > limit && last ? { at: last.at.getTime(), id: last.id } : null };
}
