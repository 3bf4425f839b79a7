// Deterministic client order ids: the same caller id always gives the same exchange id, so a
// retried submission can never create a second order. Binance allows ^[.A-Z:/a-z0-9_-]{1,36}$.
import { createHash } from "node:crypto";
import { OWN_CLIENT_ID_PREFIX } from "../../src/core/account/leftover-stops";

export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/;
// Also how the left-over cleanup tells the product's orders from a trader's own.
const PREFIX = OWN_CLIENT_ID_PREFIX;

export function clientOrderIdFor(requestId: string): string {
  if (requestId.trim() === "") throw new Error("clientOrderIdFor: the request id is empty; pass the decision's stable id");
  // 30 base64url chars = 180 bits of the hash: collisions are not a practical concern.
  const id = PREFIX + createHash("sha256").update(requestId, "utf8").digest("base64url").slice(0, 30);
  return id;
}

export function isValidClientOrderId(id: string): boolean {
  return CLIENT_ORDER_ID_PATTERN.test(id);
}
