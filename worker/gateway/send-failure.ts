// What kind of failure a send was, for the gateway's retry decision. The exchange port throws
// ExchangePortError (worker/exchange/classify-error.ts); anything else is a bug and is not retried.
import { ExchangePortError } from "../exchange/classify-error";

export type FailureClass = "retryable" | "timeout" | "duplicate" | "permanent";

export interface SendFailure {
  kind: FailureClass;
  message: string;
  /** server-advised wait before retrying (429 Retry-After), ms */
  retryAfterMs?: number;
}

export function classifyFailure(err: unknown): SendFailure {
  if (!(err instanceof ExchangePortError)) {
    return { kind: "permanent", message: err instanceof Error ? err.message : String(err) };
  }
  const retryAfterMs = err.retryAfterMs ?? undefined;
  if (err.kind === "duplicate") return { kind: "duplicate", message: err.message };
  // outcome unknown (timeout, dropped connection): the order may exist, look it up before resending
  if (err.outcomeUnknown) return { kind: "timeout", message: err.message, retryAfterMs };
  if (err.retryable) return { kind: "retryable", message: err.message, retryAfterMs };
  return { kind: "permanent", message: err.message };
}

/** A cancel: "gone" when the venue no longer has the order (filled, cancelled before). */
export async function cancelOutcome(cancel: () => Promise<void>): Promise<"cancelled" | "gone"> {
  try {
    await cancel();
    return "cancelled";
  } catch (err) {
    if (err instanceof ExchangePortError && err.kind === "order_not_found") return "gone";
    throw err;
  }
}
