// Binance USDⓈ-M user-data stream events (the fields this product reads, by Binance's names), each
// validated with zod before it can touch the account view. Decimals arrive as strings. Events of
// other kinds (MARGIN_CALL, ACCOUNT_CONFIG_UPDATE, TRADE_LITE, …) parse as "ignored": they carry
// nothing the account view holds, and a new kind Binance adds must not break the stream.
import { z } from "zod";

const decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === "number" ? v : v.trim() === "" ? NaN : Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: `expected a decimal, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});
const side = z.enum(["BUY", "SELL"]);
const positionSide = z.enum(["BOTH", "LONG", "SHORT"]);

const accountUpdate = z.object({
  e: z.literal("ACCOUNT_UPDATE"),
  E: z.number(),
  T: z.number(),
  a: z.object({
    m: z.string(),
    B: z.array(z.object({ a: z.string(), wb: decimal, cw: decimal })),
    P: z.array(z.object({ s: z.string(), pa: decimal, ep: decimal, up: decimal, ps: positionSide })),
  }),
});

const orderTradeUpdate = z.object({
  e: z.literal("ORDER_TRADE_UPDATE"),
  E: z.number(),
  T: z.number(),
  o: z.object({
    s: z.string(),
    c: z.string(),
    S: side,
    o: z.string(),
    q: decimal,
    ap: decimal,
    sp: decimal,
    X: z.string(),
    i: z.union([z.number(), z.string()]),
    z: decimal,
    T: z.number(),
    R: z.boolean(),
    ps: positionSide,
    cp: z.boolean().default(false),
    /** a fill's commission and its asset (Binance leaves both out when there is none): the order's fee */
    n: decimal.optional(),
    N: z.string().nullable().optional(),
    /** the trade id of a fill (0 when the event is not a fill) */
    t: z.union([z.number(), z.string()]).optional(),
  }),
});

const algoUpdate = z.object({
  e: z.literal("ALGO_UPDATE"),
  E: z.number(),
  T: z.number(),
  o: z.object({
    caid: z.string(),
    aid: z.union([z.number(), z.string()]),
    o: z.string(),
    s: z.string(),
    S: side,
    ps: positionSide,
    q: decimal,
    X: z.enum(["NEW", "TRIGGERING", "TRIGGERED", "FINISHED", "CANCELED", "EXPIRED", "REJECTED"]),
    ap: decimal.default(0),
    aq: decimal.default(0),
    tp: decimal.default(0),
    R: z.boolean().default(false),
    cp: z.boolean().default(false),
    /** the order the exchange placed when it triggered ("" before): its fills carry the fee */
    ai: z.union([z.number(), z.string()]).optional(),
  }),
});

const listenKeyExpired = z.object({ e: z.literal("listenKeyExpired"), E: z.union([z.number(), z.string()]).transform(Number) });

export type AccountUpdateEvent = z.infer<typeof accountUpdate>;
export type OrderTradeUpdateEvent = z.infer<typeof orderTradeUpdate>;
export type AlgoUpdateEvent = z.infer<typeof algoUpdate>;
export type ListenKeyExpiredEvent = z.infer<typeof listenKeyExpired>;
export type UserDataEvent = AccountUpdateEvent | OrderTradeUpdateEvent | AlgoUpdateEvent | ListenKeyExpiredEvent | { e: "ignored"; kind: string };

const schemas = { ACCOUNT_UPDATE: accountUpdate, ORDER_TRADE_UPDATE: orderTradeUpdate, ALGO_UPDATE: algoUpdate, listenKeyExpired } as const;

export class UserDataEventError extends Error {
  override name = "UserDataEventError";
}

/**
 * One message of the user-data stream (already JSON-parsed) → a typed event. Throws
 * UserDataEventError naming the event and the bad field when a known event is malformed: the
 * caller must then not trust its view (it refreshes over REST).
 */
export function parseUserDataEvent(raw: unknown): UserDataEvent {
  const kind = z.object({ e: z.string() }).safeParse(raw);
  if (!kind.success) throw new UserDataEventError(`user-data message without an event type "e": ${JSON.stringify(raw).slice(0, 200)}`);
  const schema = schemas[kind.data.e as keyof typeof schemas] as z.ZodType<UserDataEvent> | undefined;
  if (!schema) return { e: "ignored", kind: kind.data.e };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserDataEventError(`malformed ${kind.data.e} event: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
