// The runbook's three rollbacks, one click each, never needing approval.
//   A: kill switch  -> EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED (executor keeps running in SHADOW)
//   B: to SHADOW    -> EXIT_EXECUTOR_MODE=SHADOW
//   C: to LEGACY    -> EXIT_MODE=LEGACY (executor stops; legacy modules own exits)
import type { ToggleSet } from "../../../core/toggles";
import type { Db } from "../../db/client";
import { checkedReason } from "./check-reason";
import { changeToggles, type ChangeLimits, type ChangeResult, type ToggleSource } from "./change-toggles";
import type { ToggleCeilings } from "../../../core/toggles";

export type RollbackTarget = "kill-switch" | "shadow" | "legacy";

const CHANGES: Record<RollbackTarget, Partial<ToggleSet>> = {
  "kill-switch": { EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" },
  shadow: { EXIT_EXECUTOR_MODE: "SHADOW" },
  legacy: { EXIT_MODE: "LEGACY" },
};

const DEFAULT_REASON: Record<RollbackTarget, string> = {
  "kill-switch": "Kill switch (Rollback A)",
  shadow: "Rollback B: back to SHADOW",
  legacy: "Rollback C: back to LEGACY",
};

export interface RollbackRequest {
  actor: string;
  claimedActor?: string | null;
  source: ToggleSource;
  reason?: string | null;
  ceilings: ToggleCeilings;
  /** the transaction's own bounds (commit-rollback.ts) */
  limits?: ChangeLimits;
}

/** A rollback never lacks a reason: an operator in a hurry gets the runbook's name for it. */
export async function rollback(db: Db, target: RollbackTarget, req: RollbackRequest): Promise<ChangeResult> {
  const given = checkedReason(req.reason);
  return changeToggles(db, {
    changes: CHANGES[target],
    actor: req.actor,
    claimedActor: req.claimedActor ?? null,
    source: req.source,
    limits: req.limits,
    reason: given ? `${DEFAULT_REASON[target]}: ${given}` : DEFAULT_REASON[target],
    ceilings: req.ceilings,
  });
}

export const killSwitch = (db: Db, req: RollbackRequest) => rollback(db, "kill-switch", req);
