// Dashboard/API toggle changes: a change that would make the state LIVE needs the typed phrase;
// the go-LIVE policy (approval, readiness) is enforced by changeToggles, the one door.
import { applyCeilings, operationalStateOf, SAFEST_TOGGLES, type ToggleCeilings, type ToggleSet } from "../../../core/toggles";
import type { Db } from "../../db/client";
import type { ReadinessOptions } from "../readiness/get-readiness";
import { changeToggles, type ToggleSource } from "./change-toggles";
import type { ChangeOutcome } from "./change-result.types";
import { checkedReason } from "./check-reason";
import { assertGoLivePhrase } from "./live-requests";
import { readStoredToggles } from "../../db/toggle-row";

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
  /** this process's environment: may only tighten the policy stored in the database */
  requireApproval: boolean;
  requireReadiness: boolean;
  readiness?: ReadinessOptions;
}

export async function setToggles(db: Db, req: SetTogglesRequest, ctx: SetTogglesContext): Promise<ChangeOutcome> {
  const reason = checkedReason(req.reason);
  const stored = (await readStoredToggles(db))?.toggles ?? SAFEST_TOGGLES;
  const stateOf = (t: ToggleSet) => operationalStateOf(applyCeilings(t, ctx.ceilings).effective);
  const goesLive = stateOf(stored) !== "EXIT_BRAIN_V3_LIVE" && stateOf({ ...stored, ...req.changes }) === "EXIT_BRAIN_V3_LIVE";
  if (goesLive) assertGoLivePhrase(req.confirmation ?? "");
  return changeToggles(db, {
    changes: req.changes,
    actor: ctx.actor,
    source: ctx.source,
    reason,
    ceilings: ctx.ceilings,
    confirmLive: goesLive,
    requireApproval: ctx.requireApproval,
    requireReadiness: ctx.requireReadiness,
    readiness: ctx.readiness,
  });
}
