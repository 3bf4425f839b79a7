// zod schemas for every REST request the simulator accepts. Binance parameters arrive as strings
// (query or form body); schemas coerce them and a failure becomes Binance's own error code.
import { z } from "zod";
import { SimApiError } from "../engine/sim-error";

const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, { error: "must be a plain decimal number" })
  .transform(Number);
const int = z.string().regex(/^\d+$/, { error: "must be a whole number" }).transform(Number);
const bool = z.enum(["true", "false", "TRUE", "FALSE"]).transform((v) => v.toLowerCase() === "true");
const symbol = z.string().regex(/^[A-Z0-9]{2,30}$/, { error: "must be an upper-case symbol like BTCUSDT" });
const side = z.enum(["BUY", "SELL"]);
const clientId = z.string().min(1).max(36);
// BOTH (or absent) in one-way mode, LONG or SHORT in hedge mode; the engine checks it against the mode.
const positionSide = z.enum(["BOTH", "LONG", "SHORT"]).optional();

export const newOrderSchema = z.object({
  symbol,
  side,
  // Conditional types parse here so the engine can answer Binance's -4120 (use the algo endpoint).
  type: z.enum(["MARKET", "LIMIT", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"]),
  quantity: decimal.optional(),
  price: decimal.optional(),
  reduceOnly: bool.optional(),
  closePosition: bool.optional(),
  newClientOrderId: clientId.optional(),
  timeInForce: z.enum(["GTC", "IOC", "FOK", "GTX"]).optional(),
  positionSide,
  newOrderRespType: z.enum(["ACK", "RESULT"]).optional(),
});

export const newAlgoOrderSchema = z.object({
  algoType: z.literal("CONDITIONAL"),
  symbol,
  side,
  type: z.enum(["STOP_MARKET", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"]),
  quantity: decimal.optional(),
  triggerPrice: decimal.optional(),
  // Binance documents the trailing stop's activation price on /fapi/v1/algoOrder as activatePrice.
  activatePrice: decimal.optional(),
  callbackRate: decimal.optional(),
  reduceOnly: bool.optional(),
  closePosition: bool.optional(),
  clientAlgoId: clientId.optional(),
  positionSide,
  workingType: z.enum(["CONTRACT_PRICE", "MARK_PRICE"]).optional(),
  timeInForce: z.enum(["GTC", "IOC", "FOK", "GTX"]).optional(),
});

export const orderRefSchema = z
  .object({ symbol, orderId: int.optional(), origClientOrderId: clientId.optional() })
  .refine((v) => v.orderId !== undefined || v.origClientOrderId !== undefined, {
    error: "Either orderId or origClientOrderId must be sent.",
    path: ["orderId"],
  });

export const algoRefSchema = z
  .object({ symbol: symbol.optional(), algoId: int.optional(), clientAlgoId: clientId.optional() })
  .refine((v) => v.algoId !== undefined || v.clientAlgoId !== undefined, {
    error: "Either algoId or clientAlgoId must be sent.",
    path: ["algoId"],
  });

export const dualSideSchema = z.object({ dualSidePosition: bool });

export const optionalSymbolSchema = z.object({ symbol: symbol.optional() });

export const KLINE_INTERVALS: Record<string, number> = {
  "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000,
  "2h": 7_200_000, "4h": 14_400_000, "6h": 21_600_000, "8h": 28_800_000, "12h": 43_200_000, "1d": 86_400_000,
};

export const klinesSchema = z.object({
  symbol,
  interval: z.string().refine((v) => v in KLINE_INTERVALS, { error: `must be one of ${Object.keys(KLINE_INTERVALS).join(", ")}` }),
  startTime: int.optional(),
  endTime: int.optional(),
  limit: int.pipe(z.number().min(1).max(1500)).optional(),
});

export const leverageSchema = z.object({ symbol, leverage: int });

/** Parses params with a schema; a failure becomes the Binance error code for that parameter. */
export function parseParams<T extends z.ZodType>(schema: T, params: Record<string, string>): z.infer<T> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "?");
  if (params[name] === undefined) {
    throw new SimApiError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
  }
  if (name === "type") throw new SimApiError(-1116, "Invalid orderType.");
  if (name === "side") throw new SimApiError(-1117, "Invalid side.");
  if (name === "positionSide") throw new SimApiError(-4061, "Order's position side does not match user's setting.");
  if (name === "interval") throw new SimApiError(-1120, "Invalid interval.");
  throw new SimApiError(-1100, `Illegal characters found in parameter '${name}': ${issue.message}`);
}
