// What rests on the exchange now, per position: the exit orders placed through the gateway whose
// last known status is open or triggered, plus those placed but not yet seen by the worker (the
// next account refresh tells). Read from the lifecycle the worker's leader records.
import { Prisma } from "../../../generated/prisma/client";
import { z } from "zod";
import { PositionSideSchema, SymbolSchema } from "../../../core/positions/position-key";
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

/** One position's resting orders: the oldest `orders.length` of `total`. */
export const RestingGroupSchema = z.object({
  symbol: z.string(),
  positionSide: z.string(),
  total: z.number(),
  orders: z.array(RestingOrderSchema),
});
export type RestingGroup = z.infer<typeof RestingGroupSchema>;

export const RestingInput = z.object({
  symbol: SymbolSchema.optional(),
  positionSide: PositionSideSchema.optional(),
}).strict();

/**
 * Listed per position on the Orders page; the rest are counted. A position normally has a stop and
 * a target or two resting; when the recorded lifecycle says otherwise (hundreds "open", e.g.
 * statuses the worker has not refreshed yet), listing them all sent every one of them to the
 * browser and pushed the page's table tens of thousands of pixels down (bench/cockpit-pages: 100,000
 * orders gave a 370 KB page, 270 KB of it this list).
 */
export const RESTING_SHOWN_PER_POSITION = 6;
/** The most positions answered (a one-way account has one per symbol it trades). */
const MAX_POSITIONS = 500;

/** The resting rows: the predicate of the partial index exit_order_attempt_resting_idx, word for word. */
const RESTING = Prisma.sql`outcome = 'placed' AND (exchange_status IS NULL OR exchange_status IN ('open', 'triggered'))`;

interface RestingRow {
  id: bigint; symbol: string; position_side: string; module: string; kind: string; order_type: string;
  quantity: number; stop_price: number | null; exchange_status: string | null; created_at: Date; total: bigint;
}

/** Per position (symbol, side), its oldest `perPosition` resting orders and how many rest in all. */
export async function restingByPosition(db: Pick<Db, "$queryRaw">, input: z.infer<typeof RestingInput> = {}, perPosition = RESTING_SHOWN_PER_POSITION): Promise<RestingGroup[]> {
  const bySymbol = input.symbol ? Prisma.sql`AND symbol = ${input.symbol}` : Prisma.empty;
  const bySide = input.positionSide ? Prisma.sql`AND position_side = ${input.positionSide}` : Prisma.empty;
  // The positions with resting orders and their counts, then each one's oldest few: both read the
  // partial index of resting rows (migrations 0015, 0017), never the whole order history.
  const rows = await db.$queryRaw<RestingRow[]>`
    WITH g AS (
      SELECT symbol, position_side, count(*) AS total FROM exit_order_attempt
       WHERE ${RESTING} ${bySymbol} ${bySide}
       GROUP BY symbol, position_side ORDER BY symbol, position_side LIMIT ${MAX_POSITIONS})
    SELECT o.*, g.total FROM g CROSS JOIN LATERAL (
      SELECT id, symbol, position_side, module, kind, order_type, quantity, stop_price, exchange_status, created_at FROM exit_order_attempt a
       WHERE a.symbol = g.symbol AND a.position_side = g.position_side AND ${RESTING}
       ORDER BY id LIMIT ${perPosition}) o
     ORDER BY g.symbol, g.position_side, o.id`;
  const groups = new Map<string, RestingGroup>();
  for (const r of rows) {
    const key = `${r.symbol}-${r.position_side}`;
    const group = groups.get(key) ?? { symbol: r.symbol, positionSide: r.position_side, total: Number(r.total), orders: [] };
    groups.set(key, group);
    group.orders.push({
      id: Number(r.id), symbol: r.symbol, positionSide: r.position_side, module: r.module, kind: r.kind, orderType: r.order_type,
      quantity: r.quantity, stopPrice: r.stop_price, exchangeStatus: r.exchange_status, createdAt: r.created_at,
    });
  }
  return [...groups.values()];
}
