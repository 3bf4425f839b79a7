// The readiness gate on every path that takes the state LIVE: unmet items become warnings, or
// a refusal when REQUIRE_READINESS=true.
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
