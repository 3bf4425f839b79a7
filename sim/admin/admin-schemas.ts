// zod schemas for the admin API's JSON bodies (see sim/README.md).
import { z } from "zod";

const symbol = z.string().regex(/^[A-Z0-9]{2,30}$/, { error: "must be an upper-case symbol like BTCUSDT" });

export const clockStepSchema = z.object({ ms: z.number().int().positive().max(365 * 86_400_000) }).strict();
export const clockSetSchema = z.object({ time: z.number().int().positive() }).strict();
export const setPriceSchema = z.object({ symbol, price: z.number().positive() }).strict();
export const openPositionSchema = z
  .object({
    symbol,
    side: z.enum(["long", "short"]),
    quantity: z.number().positive(),
    leverage: z.number().int().min(1).max(125).optional(),
    /** hedge mode: LONG or SHORT (default: from side) */
    positionSide: z.enum(["BOTH", "LONG", "SHORT"]).optional(),
  })
  .strict();
export const closePositionSchema = z.object({ symbol, positionSide: z.enum(["BOTH", "LONG", "SHORT"]).optional() }).strict();
export const releaseTriggersSchema = z.object({ symbol: symbol.optional() }).strict();
export const speedSchema = z.object({ speed: z.number().min(0).max(100_000) }).strict();
/** drop every user-data socket; refuse new ones for refuseMs (0: they may reconnect at once) */
export const userStreamDropSchema = z.object({ refuseMs: z.number().int().min(0).max(600_000).default(0) }).strict();
/** user-data sockets send nothing (events, pongs) for ms */
export const userStreamStallSchema = z.object({ ms: z.number().int().positive().max(600_000) }).strict();
