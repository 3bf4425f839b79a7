// Dashboard/API toggle changes: a change that would make the state LIVE needs the typed
// phrase and passes the readiness gate; everything else goes straight to changeToggles.
import { applyCeilings, operationalStateOf, SAFEST_TOGGLES, type ToggleCeilings, type ToggleSet } from "../../../core/toggles";
import type { Db } from "../../db/client";
import { checkReadinessForLive } from "../readiness/check-readiness-for-live";
import type { ReadinessOptions } from "../readiness/get-readiness";
import { changeToggles, type ToggleSource } from "./change-toggles";
import type { ChangeOutcome } from "./change-result.types";
import { assertGoLivePhrase } from "./live-requests";
import { readStoredToggles } from "./toggle-row";

export interface SetTogglesRequest {
  changes: Partial<ToggleSet>;
  reason?: string | null;
  /** the typed phrase; only read when the change makes the state LIVE */
  confirmation?: string | null;
}

export interface SetTogglesContext {
  actor: string;
  source: ToggleSource;
  ceilings: ToggleCeilings;
  requireApproval: boolean;
  requireReadiness: boolean;
  readiness?: ReadinessOptions;
}

export async function setToggles(db: Db, req: SetTogglesRequest, ctx: SetTogglesContext): Promise<ChangeOutcome> {
  const stored = (await readStoredToggles(db))?.toggles ?? SAFEST_TOGGLES;
  const stateOf = (t: ToggleSet) => operationalStateOf(applyCeilings(t, ctx.ceilings).effective);
  const goesLive = stateOf(stored) !== "EXIT_BRAIN_V3_LIVE" && stateOf({ ...stored, ...req.changes }) === "EXIT_BRAIN_V3_LIVE";
  let readinessWarnings: string[] = [];
  if (goesLive) {
    assertGoLivePhrase(req.confirmation ?? "");
    readinessWarnings = await checkReadinessForLive(db, ctx.requireReadiness, ctx.readiness);
  }
  const result = await changeToggles(db, {
    changes: req.changes,
    actor: ctx.actor,
    source: ctx.source,
    reason: req.reason ?? null,
    ceilings: ctx.ceilings,
    confirmLive: goesLive,
    requireApproval: ctx.requireApproval,
  });
  return { ...result, readinessWarnings };
}
