// GET /health/exit_brain_status: the runbook's JSON (extra fields allowed). Public: no session,
// no secrets, no position details.
import { db } from "../../../server/db/client";
import { getExitBrainStatus } from "../../../server/services/status/get-exit-brain-status";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    return Response.json(await getExitBrainStatus(db()), { headers: { "cache-control": "no-store" } });
  } catch (err) {
    return Response.json(
      { error: "status unavailable", detail: err instanceof Error ? err.message.split("\n")[0] : "unknown error" },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
