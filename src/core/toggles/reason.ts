// The one limit on a reason (toggle changes, rollbacks, LIVE requests, policy changes): enforced by
// the services for every door (dashboard, API, CLI), shown as a counter in the forms. A reason is
// read by people in the audit trail and in notifications; 500 characters is a paragraph.
import { z } from "zod";

export const REASON_MAX_CHARS = 500;

export function reasonTooLongMessage(length: number): string {
  return `The reason is ${length} characters long; at most ${REASON_MAX_CHARS} are allowed. Shorten it (the audit trail keeps it whole, never cut).`;
}

/** The length check alone, for services that take a reason from code paths without zod. */
export function reasonProblem(reason: string | null | undefined): string | null {
  const n = reason?.trim().length ?? 0;
  return n > REASON_MAX_CHARS ? reasonTooLongMessage(n) : null;
}

/** A reason field of an input schema: trimmed, refused (with the message above) when too long. */
export function reasonString() {
  return z
    .string()
    .trim()
    .max(REASON_MAX_CHARS, { error: (iss) => reasonTooLongMessage(typeof iss.input === "string" ? iss.input.length : REASON_MAX_CHARS + 1) });
}
