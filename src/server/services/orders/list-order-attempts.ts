// The gateway's attempts, newest first, filtered and paged by id (keyset: stable under inserts).
import { z } from "zod";
import type { Db } from "../../db/client";

export const OrderFilterInput = z.object({
  outcome: z.enum(["pending", "placed", "blocked", "rejected", "failed"]).optional(),
  module: z.string().trim().max(40).optional(),
  symbol: z.string().trim().toUpperCase().max(40).optional(),
  /** the id of the last row of the previous page */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});

export const OrderAttemptSchema = z.object({
  id: z.number(),
  createdAt: z.date(),
  module: z.string(),
  kind: z.string(),
  symbol: z.string(),
  side: z.string(),
  positionSide: z.string(),
  orderType: z.string(),
  quantity: z.number(),
  stopPrice: z.number().nullable(),
  clientOrderId: z.string(),
  decisionId: z.string(),
  operationalState: z.string(),
  toggleVersion: z.number().nullable(),
  verdict: z.string(),
  ownershipConflict: z.boolean(),
  outcome: z.string(),
  denyReason: z.string().nullable(),
  exchangeOrderId: z.string().nullable(),
  error: z.string().nullable(),
});

export const OrderPageSchema = z.object({ rows: z.array(OrderAttemptSchema), nextCursor: z.number().nullable() });

export async function listOrderAttempts(db: Db, f: z.input<typeof OrderFilterInput>): Promise<z.infer<typeof OrderPageSchema>> {
  const limit = f.limit ?? 50;
  const rows = await db.exitOrderAttempt.findMany({
    where: {
      ...(f.outcome ? { outcome: f.outcome } : {}),
      ...(f.module ? { module: f.module } : {}),
      ...(f.symbol ? { symbol: f.symbol } : {}),
      ...(f.cursor ? { id: { lt: BigInt(f.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    omit: { updatedAt: true, reduceOnly: true, leaderEpoch: true, tries: true },
  });
  const page = rows.slice(0, limit).map((r) => ({ ...r, id: Number(r.id), toggleVersion: r.toggleVersion === null ? null : Number(r.toggleVersion) }));
  return { rows: page, nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}
