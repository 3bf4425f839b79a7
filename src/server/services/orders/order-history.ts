// One order's life on the exchange, change by change (exit_order_event), oldest first.
import { z } from "zod";
import type { Db } from "../../db/client";

export const OrderHistoryInput = z.object({ orderId: z.number().int().positive() }).strict();
export const OrderEventSchema = z.object({ at: z.date(), status: z.string(), detail: z.string().nullable() });

export async function orderHistory(db: Db, input: z.infer<typeof OrderHistoryInput>): Promise<z.infer<typeof OrderEventSchema>[]> {
  const rows = await db.exitOrderEvent.findMany({ where: { attemptId: BigInt(input.orderId) }, orderBy: { id: "asc" }, take: 100 });
  return rows.map((r) => ({ at: r.at, status: r.status, detail: r.detail }));
}
