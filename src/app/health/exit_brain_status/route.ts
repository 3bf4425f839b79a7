// GET /health/exit_brain_status: the runbook's JSON (extra fields allowed). Public: no session,
// no secrets, no position details. Outside the proxy's matcher (src/proxy.ts): it needs no session.
import { db } from "../../../server/db/client";
import { memoByObject } from "../../../server/cache/memo-by-object";
import { getExitBrainStatus } from "../../../server/services/status/get-exit-brain-status";

export const dynamic = "force-dynamic";

// The cached report is one object until it recomputes: serialise it once, not per request.
const jsonOf = memoByObject((report: object) => JSON.stringify(report));
const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

export async function GET(): Promise<Response> {
  try {
    return new Response(jsonOf(await getExitBrainStatus(db())), { headers: JSON_HEADERS });
  } catch (err) {
    return Response.json(
      { error: "status unavailable", detail: err instanceof Error ? err.message.split("\n")[0] : "unknown error" },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
