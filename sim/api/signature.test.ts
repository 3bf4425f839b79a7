import { describe, expect, it } from "vitest";
import { SimApiError } from "../engine/sim-error";
import { sign, verifySignedRequest } from "./signature";

const creds = { apiKey: "key123", apiSecret: "secret456" };
const now = 1_700_000_000_000;

function request(params: string, where: "query" | "body", opts: { secret?: string; key?: string; ts?: number } = {}) {
  const ts = opts.ts ?? now;
  const payload = `${params}&timestamp=${ts}`;
  const signed = `${payload}&signature=${sign(opts.secret ?? creds.apiSecret, payload)}`;
  return {
    apiKeyHeader: opts.key ?? creds.apiKey,
    rawQuery: where === "query" ? signed : "",
    rawBody: where === "body" ? signed : "",
    timestamp: String(ts),
    recvWindow: undefined,
  };
}

function codeOf(fn: () => void): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof SimApiError) return err.code;
    throw err;
  }
}

describe("verifySignedRequest", () => {
  it("matches Binance's documented HMAC example", () => {
    // From Binance's API docs (SIGNED endpoint examples).
    const payload =
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    expect(sign("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", payload)).toBe(
      "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
    );
  });

  it("accepts a valid signature in the query or in the body", () => {
    expect(codeOf(() => verifySignedRequest(request("symbol=BTCUSDT", "query"), creds, now))).toBeNull();
    expect(codeOf(() => verifySignedRequest(request("symbol=BTCUSDT&side=SELL", "body"), creds, now))).toBeNull();
  });

  it("rejects a wrong secret with -1022", () => {
    expect(codeOf(() => verifySignedRequest(request("symbol=BTCUSDT", "query", { secret: "nope" }), creds, now))).toBe(-1022);
  });

  it("rejects a tampered parameter with -1022", () => {
    const r = request("symbol=BTCUSDT&quantity=1", "body");
    r.rawBody = r.rawBody.replace("quantity=1", "quantity=9");
    expect(codeOf(() => verifySignedRequest(r, creds, now))).toBe(-1022);
  });

  it("rejects an unknown key with -2015 and a malformed or missing key with -2014", () => {
    expect(codeOf(() => verifySignedRequest(request("a=1", "query", { key: "other" }), creds, now))).toBe(-2015);
    expect(codeOf(() => verifySignedRequest(request("a=1", "query", { key: "bad key!" }), creds, now))).toBe(-2014);
    expect(codeOf(() => verifySignedRequest({ ...request("a=1", "query"), apiKeyHeader: undefined }, creds, now))).toBe(-2014);
  });

  it("rejects a stale or future timestamp with -1021", () => {
    expect(codeOf(() => verifySignedRequest(request("a=1", "query", { ts: now - 6000 }), creds, now))).toBe(-1021);
    expect(codeOf(() => verifySignedRequest(request("a=1", "query", { ts: now + 1500 }), creds, now))).toBe(-1021);
    expect(codeOf(() => verifySignedRequest(request("a=1", "query", { ts: now - 4000 }), creds, now))).toBeNull();
  });

  it("asks for the signature when it is missing (-1102)", () => {
    const r = { apiKeyHeader: creds.apiKey, rawQuery: `a=1&timestamp=${now}`, rawBody: "", timestamp: String(now), recvWindow: undefined };
    expect(codeOf(() => verifySignedRequest(r, creds, now))).toBe(-1102);
  });
});
