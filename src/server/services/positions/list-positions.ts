// Open positions as the worker last saw them, with protection and dual-position flags.
import { z } from "zod";
import type { Db } from "../../db/client";

export const PositionSchema = z.object({
  symbol: z.string(),
  positionSide: z.string(),
  size: z.number(),
  entryPrice: z.number(),
  markPrice: z.number(),
  unrealizedPnl: z.number(),
  protected: z.boolean(),
  unprotectedSince: z.date().nullable(),
  dualPosition: z.boolean(),
  stopPrice: z.number().nullable(),
  takeProfitPrice: z.number().nullable(),
  seenAt: z.date(),
});

/** Problems first (unprotected, dual), then by symbol, so the eye lands on what needs action. */
export async function listPositions(db: Db): Promise<z.infer<typeof PositionSchema>[]> {
  return db.positionSafety.findMany({
    where: { size: { not: 0 } },
    orderBy: [{ protected: "asc" }, { dualPosition: "desc" }, { symbol: "asc" }, { positionSide: "asc" }],
    take: 500,
  });
}
