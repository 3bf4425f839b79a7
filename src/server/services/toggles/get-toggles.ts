// Stored vs effective toggles, the environment ceilings and the go-LIVE rules of this
// deployment (stored in the database, tightened by this process's environment): what the
// controls page needs to decide which buttons to offer.
import { resolveOperationalState, SAFEST_TOGGLES } from "../../../core/toggles";
import { env as processEnv, parseEnv } from "../../../env.js";
import type { Db } from "../../db/client";
import { effectivePolicy, readPolicy } from "./policy";
import { readStoredToggles } from "../../db/toggle-row";
import { readCeilings } from "../../toggle-ceilings";
import type { TogglesView } from "./get-toggles.types";

export async function getToggles(db: Db, opts: { env?: Record<string, string | undefined> } = {}): Promise<TogglesView> {
  const cfg = opts.env ? parseEnv(opts.env) : processEnv();
  const parsed = readCeilings(opts.env);
  const [stored, policy] = await Promise.all([readStoredToggles(db), readPolicy(db)]);
  const rules = effectivePolicy(policy, { requireApproval: cfg.REQUIRE_LIVE_APPROVAL, requireReadiness: cfg.REQUIRE_READINESS });
  const r = resolveOperationalState({ stored: stored?.toggles ?? SAFEST_TOGGLES, ceilings: parsed.ceilings, enabledFlag: parsed.enabledFlag, parseWarnings: parsed.warnings });
  return {
    stored: r.stored,
    effective: r.effective,
    ceilings: parsed.ceilings,
    limitedBy: r.limitedBy,
    operationalState: r.operationalState,
    warnings: r.warnings,
    version: stored?.version ?? null,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
    requireLiveApproval: rules.requireLiveApproval,
    requireReadiness: rules.requireReadiness && !rules.readinessOverrideActive,
  };
}
