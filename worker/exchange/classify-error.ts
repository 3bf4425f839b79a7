// Turns anything an exchange call throws into ExchangePortError: a kind, whether retrying may
// help, and whether the outcome is unknown (a timed-out submission may have gone through; the
// deterministic client order id makes the retry safe). Uses ccxt's error classes, most specific
// first. Messages are redacted so keys and signatures never reach logs.
import ccxt from "ccxt";
import { SendDeadlinePassedError } from "./send-deadline";

export type ExchangeErrorKind =
  | "timeout" | "rate_limit" | "unavailable" | "network" | "clock" | "bad_response"
  | "duplicate" | "order_not_found" | "insufficient_funds" | "invalid_order" | "refused"
  | "auth" | "bad_request" | "not_supported" | "exchange" | "unknown";

export class ExchangePortError extends Error {
  override name = "ExchangePortError";
  constructor(
    readonly kind: ExchangeErrorKind,
    readonly retryable: boolean,
    message: string,
    readonly opts: { outcomeUnknown?: boolean; code?: number | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
  }
  get outcomeUnknown(): boolean {
    return this.opts.outcomeUnknown ?? false;
  }
  /** Binance's error code, when the venue sent one (e.g. -2022) */
  get code(): number | null {
    return this.opts.code ?? null;
  }
  get retryAfterMs(): number | null {
    return this.opts.retryAfterMs ?? null;
  }
}

/** A request the port refuses before any network call (not reduce-only, below minimum, ...). */
export class ExitOrderRefusedError extends ExchangePortError {
  override name = "ExitOrderRefusedError";
  constructor(message: string) {
    super("refused", false, message);
  }
}

type Rule = [ccxtClass: abstract new (...args: never[]) => Error, kind: ExchangeErrorKind, retryable: boolean, outcomeUnknown: boolean];

// Most specific first: e.g. RequestTimeout and RateLimitExceeded are NetworkErrors, OrderNotFound
// and DuplicateOrderId are InvalidOrders.
const RULES: Rule[] = [
  [ccxt.RequestTimeout, "timeout", true, true],
  [ccxt.RateLimitExceeded, "rate_limit", true, false],
  [ccxt.DDoSProtection, "rate_limit", true, false],
  [ccxt.InvalidNonce, "clock", true, false],
  [ccxt.ExchangeNotAvailable, "unavailable", true, false],
  [ccxt.NetworkError, "network", true, true],
  [ccxt.BadResponse, "bad_response", true, true],
  [ccxt.OperationFailed, "unavailable", true, false],
  [ccxt.DuplicateOrderId, "duplicate", false, false],
  [ccxt.OrderNotFound, "order_not_found", false, false],
  [ccxt.InsufficientFunds, "insufficient_funds", false, false],
  [ccxt.InvalidOrder, "invalid_order", false, false],
  [ccxt.AuthenticationError, "auth", false, false],
  [ccxt.BadRequest, "bad_request", false, false],
  [ccxt.NotSupported, "not_supported", false, false],
  [ccxt.ExchangeError, "exchange", false, false],
];

export interface ClassifyContext {
  /** what was being done, e.g. "placeExitOrder BTCUSDT" */
  action: string;
  /** strings that must never appear in a message (API key, secret) */
  secrets?: readonly string[];
  retryAfterMs?: number | null;
}

export function classifyError(err: unknown, ctx: ClassifyContext): ExchangePortError {
  if (err instanceof ExchangePortError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const message = `${ctx.action}: ${redact(raw, ctx.secrets ?? [])}`;
  const code = binanceCode(raw);
  // Never left the worker: retrying under a new check and deadline cannot duplicate anything.
  if (err instanceof SendDeadlinePassedError) return new ExchangePortError("timeout", true, message, { outcomeUnknown: false, cause: err });
  for (const [cls, kind, retryable, outcomeUnknown] of RULES) {
    if (err instanceof cls) {
      const retryAfterMs = kind === "rate_limit" ? (ctx.retryAfterMs ?? null) : null;
      return new ExchangePortError(kind, retryable, message, { outcomeUnknown, code, retryAfterMs, cause: err });
    }
  }
  if (err instanceof Error && err.name === "ZodError") {
    return new ExchangePortError("bad_response", true, `${ctx.action}: the exchange sent an unexpected payload: ${redact(raw, ctx.secrets ?? [])}`, { cause: err });
  }
  return new ExchangePortError("unknown", false, message, { code, cause: err });
}

/** The Binance error code inside a ccxt message like `binanceusdm {"code":-2022,"msg":...}`. */
export function binanceCode(message: string): number | null {
  const m = /"code"\s*:\s*(-\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/signature=[0-9a-fA-F]+/g, "signature=<redacted>");
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("<redacted>");
  return out;
}
