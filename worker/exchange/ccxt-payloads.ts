// zod schemas for the ccxt structures the port consumes, so a malformed payload from the venue
// becomes a clear error (classified bad_response) instead of NaN prices or a crash downstream.
import { z } from "zod";

const num = z.number().finite();
const optNum = num.nullish();
const info = z.record(z.string(), z.unknown());

export const ccxtPositionSchema = z.object({
  symbol: z.string(),
  side: z.enum(["long", "short"]).nullish(),
  contracts: optNum,
  contractSize: optNum,
  entryPrice: optNum,
  markPrice: optNum,
  leverage: optNum,
  liquidationPrice: optNum,
  unrealizedPnl: optNum,
  notional: optNum,
  initialMargin: optNum,
  timestamp: optNum,
  info,
});

export const ccxtOrderSchema = z.object({
  id: z.string().nullish(),
  clientOrderId: z.string().nullish(),
  symbol: z.string(),
  side: z.enum(["buy", "sell"]).nullish(),
  type: z.string().nullish(),
  status: z.string().nullish(),
  amount: optNum,
  filled: optNum,
  average: optNum,
  triggerPrice: optNum,
  reduceOnly: z.boolean().nullish(),
  timestamp: optNum,
  info,
});

export const ccxtTickerSchema = z.object({ symbol: z.string(), last: num.positive(), timestamp: optNum });

export const ccxtOhlcvSchema = z.array(z.tuple([num, num.positive(), num.positive(), num.positive(), num.positive(), num.nonnegative()]));

export const ccxtBalanceSchema = z.object({
  USDT: z.object({ free: optNum, used: optNum, total: optNum }).optional(),
});

export const ccxtMarketSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  linear: z.boolean().nullish(),
  active: z.boolean().nullish(),
  precision: z.object({ amount: optNum, price: optNum }),
  limits: z.object({
    amount: z.object({ min: optNum }).optional(),
    cost: z.object({ min: optNum }).optional(),
  }),
});

/** ccxt's fetchPositionMode: { hedged } from Binance's { dualSidePosition } */
export const ccxtPositionModeSchema = z.object({ hedged: z.boolean() });

export type CcxtOrder = z.infer<typeof ccxtOrderSchema>;
