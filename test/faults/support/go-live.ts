// The arrangement every LIVE fault scenario starts from: the toggle row seeded as a worker's boot
// would (bootToggles, no ceilings), then one audited change to LIVE with its confirmation. The
// test template carries no readiness requirement (test/global-setup.ts turns it off through the
// policy door), so no approval step is needed; a test that brings its own PostgreSQL turns it off
// itself before calling this (postgres-restart).
import type { Db } from "../../../src/server/db/client";
import { bootToggles } from "../../../src/server/services/toggles/boot-toggles";
import { changeToggles, type ChangeResult } from "../../../src/server/services/toggles/change-toggles";
import { LIVE_TOGGLES } from "../../../src/server/services/toggles/live-requests";

/** Changes the stored toggles to LIVE (actor fault-test, source api, confirmed, no ceilings); `reason` goes to the audit row. */
export function changeToLive(db: Db, reason: string): Promise<ChangeResult> {
  return changeToggles(db, { changes: LIVE_TOGGLES, actor: "fault-test", source: "api", reason, confirmLive: true, ceilings: {} });
}

/** Boots the toggles as a worker would, then goes LIVE (`reason` on the audit row). */
export async function goLive(db: Db, reason: string): Promise<ChangeResult> {
  await bootToggles(db, {});
  return changeToLive(db, reason);
}
