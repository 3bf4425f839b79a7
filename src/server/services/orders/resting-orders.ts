// What rests on the exchange now, per position: the exit orders placed through the gateway whose
// last known status is open or triggered, plus those placed but not yet seen by the worker (the
// next account refresh tells). Read from the lifecycle the worker's leader records.
import { z } from "zod";
import type { Db } from "../../db/client";

export const RestingOrderSchema = z.object({
  id: z.number(),
  symbol: z.string(),
  positionSide: z.string(),
  module: z.string(),
  kind: z.string(),
  orderType: z.string(),
  quantity: z.number(),
  stopPrice: z.number().nullable(),
  /** open | triggered | null (placed, not yet seen on the exchange) */
  exchangeStatus: z.string().nullable(),
  createdAt: z.date(),
});
export type RestingOrder = z.infer<typeof RestingOrderSchema>;

export const RestingInput = z.object({
  symbol: z.string().trim().toUpperCase().max(40).regex(/^[A-Z0-9]+$/, "a symbol is letters and digits, e.g. BTCUSDT").optional(),
  positionSide: z.enum(["long", "short"]).optional(),
}).strict();

export async function restingOrders(db: Db, input: z.infer<typeof RestingInput> = {}): Promise<RestingOrder[]> {
  const rows = await db.exitOrderAttempt.findMany({
    where: {
      outcome: "placed",
      OR: [{ exchangeStatus: null }, { exchangeStatus: { in: ["open", "triggered"] } }],
      ...(input.symbol ? { symbol: input.symbol } : {}),
      ...(input.positionSide ? { positionSide: input.positionSide } : {}),
    },
    orderBy: [{ symbol: "asc" }, { positionSide: "asc" }, { id: "asc" }],
    take: 1000,
    select: { id: true, symbol: true, positionSide: true, module: true, kind: true, orderType: true, quantity: true, stopPrice: true, exchangeStatus: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
