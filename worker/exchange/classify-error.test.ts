import ccxt from "ccxt";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { binanceCode, classifyError, ExitOrderRefusedError } from "./classify-error";

const ctx = { action: "placeExitOrder BTCUSDT", secrets: ["my-api-key-123", "my-secret-456"] };

describe("classifyError", () => {
  it.each([
    [new ccxt.RequestTimeout("t"), "timeout", true, true],
    [new ccxt.RateLimitExceeded("r"), "rate_limit", true, false],
    [new ccxt.DDoSProtection("429"), "rate_limit", true, false],
    [new ccxt.ExchangeNotAvailable("503"), "unavailable", true, false],
    [new ccxt.InvalidNonce("-1021"), "clock", true, false],
    [new ccxt.NetworkError("reset"), "network", true, true],
    [new ccxt.InvalidOrder('binanceusdm {"code":-2022,"msg":"ReduceOnly Order is rejected."}'), "invalid_order", false, false],
    [new ccxt.DuplicateOrderId("dup"), "duplicate", false, false],
    [new ccxt.OrderNotFound("nf"), "order_not_found", false, false],
    [new ccxt.InsufficientFunds("-2019"), "insufficient_funds", false, false],
    [new ccxt.AuthenticationError("-1022"), "auth", false, false],
    [new ccxt.BadSymbol("sym"), "bad_request", false, false],
    [new ccxt.ExchangeError("other"), "exchange", false, false],
    [new TypeError("bug"), "unknown", false, false],
  ])("%s → %s (retryable %s, outcome unknown %s)", (err, kind, retryable, outcomeUnknown) => {
    const c = classifyError(err, ctx);
    expect(c.kind).toBe(kind);
    expect(c.retryable).toBe(retryable);
    expect(c.outcomeUnknown).toBe(outcomeUnknown);
    expect(c.message).toContain("placeExitOrder BTCUSDT");
  });

  it("reads Binance's code from the message", () => {
    expect(classifyError(new ccxt.InvalidOrder('binanceusdm {"code":-2022,"msg":"x"}'), ctx).code).toBe(-2022);
    expect(binanceCode("no code here")).toBeNull();
  });

  it("never repeats keys or signatures", () => {
    const c = classifyError(new ccxt.ExchangeError("GET /x?signature=abcdef0123 key my-api-key-123 secret my-secret-456"), ctx);
    expect(c.message).not.toMatch(/my-api-key-123|my-secret-456|abcdef0123/);
  });

  it("treats a malformed payload (zod) as a retryable bad response", () => {
    const zerr = z.object({ a: z.string() }).safeParse({}).error;
    const c = classifyError(zerr, ctx);
    expect(c.kind).toBe("bad_response");
    expect(c.retryable).toBe(true);
  });

  it("passes the port's own refusals through unchanged", () => {
    const refused = new ExitOrderRefusedError("not reduce-only");
    expect(classifyError(refused, ctx)).toBe(refused);
    expect(refused.retryable).toBe(false);
  });

  it("keeps Retry-After for rate limits only", () => {
    expect(classifyError(new ccxt.DDoSProtection("429"), { ...ctx, retryAfterMs: 2000 }).retryAfterMs).toBe(2000);
    expect(classifyError(new ccxt.ExchangeNotAvailable("503"), { ...ctx, retryAfterMs: 2000 }).retryAfterMs).toBeNull();
  });
});
