// The readiness check at LIVE-request time (live-requests.ts), so an operator learns before a
// second operator is asked. The binding check is in changeToggles (the one policy door), which
// applies the stored policy and any admin override when the state actually becomes LIVE.
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { getReadiness, type ReadinessOptions } from "./get-readiness";

/** Returns one warning per unmet before-LIVE item; throws when `require` is on and any is unmet. */
export async function checkReadinessForLive(db: Db, require: boolean, opts: ReadinessOptions = {}): Promise<string[]> {
  const readiness = await getReadiness(db, opts);
  const unmet = readiness.items.filter((i) => i.group === "before_live" && !i.ok).map((i) => `${i.label}: ${i.why}`);
  if (require && unmet.length > 0) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `REQUIRE_READINESS is on and ${unmet.length} readiness item(s) are not met, so going LIVE is refused: ${unmet.join(" | ")}`,
    );
  }
  return unmet;
}
