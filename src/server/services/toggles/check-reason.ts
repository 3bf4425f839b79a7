// The reason limit (src/core/toggles/reason.ts) as the services enforce it: every door that takes
// an operator's reason (set, rollbacks, LIVE requests; dashboard, API and CLI alike) refuses a
// reason over the limit with a message saying so, instead of storing it or cutting it.
import { reasonProblem } from "../../../core/toggles/reason";
import { AppError } from "../../errors";

/** The trimmed reason (null when empty); refuses one longer than REASON_MAX_CHARS. */
export function checkedReason(reason: string | null | undefined): string | null {
  const problem = reasonProblem(reason);
  if (problem) throw new AppError("BAD_REQUEST", problem);
  return reason?.trim() || null;
}
