// The gateway's attempts, newest first, filtered and paged by id (keyset: stable under inserts,
// and as fast on the thousandth page as on the first: every filter has an (x, id DESC) index,
// migration 0015). Each row carries the order's life on the exchange (issue 16).
import { z } from "zod";
import { LIFECYCLE_STATUSES } from "../../../core/orders/order-lifecycle";
import type { Db } from "../../db/client";

export const OrderFilterInput = z.object({
  outcome: z.enum(["pending", "placed", "blocked", "rejected", "failed"]).optional(),
  /** the order's status on the exchange; "unseen" = placed, not yet seen by the worker */
  exchangeStatus: z.enum([...LIFECYCLE_STATUSES, "unseen"]).optional(),
  module: z.string().trim().max(40).regex(/^[a-z_]*$/, "a module name is lower-case letters and _").optional(),
  symbol: z.string().trim().toUpperCase().max(40).regex(/^[A-Z0-9]*$/, "a symbol is letters and digits, e.g. BTCUSDT").optional(),
  positionSide: z.enum(["long", "short"]).optional(),
  /** the id of the last row of the previous page */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(50),
}).strict();

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
  exchangeStatus: z.string().nullable(),
  exchangeStatusAt: z.date().nullable(),
  filledQuantity: z.number().nullable(),
  fillPrice: z.number().nullable(),
  fee: z.number().nullable(),
  feeAsset: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

export const OrderPageSchema = z.object({ rows: z.array(OrderAttemptSchema), nextCursor: z.number().nullable() });

export async function listOrderAttempts(db: Db, f: z.input<typeof OrderFilterInput>): Promise<z.infer<typeof OrderPageSchema>> {
  const limit = f.limit ?? 50;
  const status = f.exchangeStatus === undefined ? {} : f.exchangeStatus === "unseen" ? { outcome: "placed", exchangeStatus: null } : { exchangeStatus: f.exchangeStatus };
  const rows = await db.exitOrderAttempt.findMany({
    where: {
      ...(f.outcome ? { outcome: f.outcome } : {}),
      ...status,
      ...(f.module ? { module: f.module } : {}),
      ...(f.symbol ? { symbol: f.symbol } : {}),
      ...(f.positionSide ? { positionSide: f.positionSide } : {}),
      ...(f.cursor ? { id: { lt: BigInt(f.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    omit: { updatedAt: true, reduceOnly: true, leaderEpoch: true, tries: true, checkedAt: true, checkedVersion: true, checkedEpoch: true, sendDeadlineAt: true, inFlightAtKillSwitch: true },
  });
  const page = rows.slice(0, limit).map((r) => ({ ...r, id: Number(r.id), toggleVersion: r.toggleVersion === null ? null : Number(r.toggleVersion) }));
  return { rows: page, nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}
