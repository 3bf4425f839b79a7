// Binance's request signing: HMAC-SHA256 (hex) of the query string concatenated with the body,
// both exactly as sent, without the signature parameter itself.
import { createHmac, timingSafeEqual } from "node:crypto";
import { SimApiError } from "../engine/sim-error";

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

export function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

const SIGNATURE = /(^|&)signature=([^&]*)/;

/** Splits `signature=...` out of a raw query or body, keeping the rest byte for byte. */
function takeSignature(raw: string): { rest: string; signature: string | null } {
  const m = SIGNATURE.exec(raw);
  if (!m) return { rest: raw, signature: null };
  const rest = (raw.slice(0, m.index) + raw.slice(m.index + m[0].length)).replace(/^&/, "");
  return { rest, signature: decodeURIComponent(m[2] ?? "") };
}

export interface SignedRequest {
  apiKeyHeader: string | undefined;
  rawQuery: string;
  rawBody: string;
  /** the parsed timestamp / recvWindow parameters, if any */
  timestamp: string | undefined;
  recvWindow: string | undefined;
}

/** Checks the API key only (listenKey endpoints, USER_STREAM security). */
export function verifyApiKey(apiKeyHeader: string | undefined, creds: Credentials): void {
  if (!apiKeyHeader) throw new SimApiError(-2014, "API-key format invalid.", 401);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(apiKeyHeader)) throw new SimApiError(-2014, "API-key format invalid.", 401);
  const a = Buffer.from(apiKeyHeader);
  const b = Buffer.from(creds.apiKey);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new SimApiError(-2015, "Invalid API-key, IP, or permissions for action.", 401);
  }
}

/**
 * Verifies a SIGNED request the way Binance does: API key (-2014/-2015), signature present and
 * valid (-1102/-1022), timestamp within recvWindow of the server's wall clock (-1021).
 */
export function verifySignedRequest(req: SignedRequest, creds: Credentials, serverNow: number): void {
  verifyApiKey(req.apiKeyHeader, creds);
  const q = takeSignature(req.rawQuery);
  const b = takeSignature(req.rawBody);
  const signature = q.signature ?? b.signature;
  if (!signature) throw new SimApiError(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  const expected = sign(creds.apiSecret, q.rest + b.rest);
  const given = Buffer.from(signature.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    throw new SimApiError(-1022, "Signature for this request is not valid.");
  }
  const timestamp = Number(req.timestamp);
  if (req.timestamp === undefined || !Number.isInteger(timestamp)) {
    throw new SimApiError(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  }
  const recvWindow = req.recvWindow === undefined ? 5000 : Number(req.recvWindow);
  if (!Number.isInteger(recvWindow) || recvWindow <= 0 || recvWindow > 60_000) {
    throw new SimApiError(-1131, "recvWindow must be less than 60000");
  }
  if (timestamp >= serverNow + 1000 || serverNow - timestamp > recvWindow) {
    throw new SimApiError(-1021, "Timestamp for this request is outside of the recvWindow.");
  }
}
