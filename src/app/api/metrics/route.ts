// GET /api/metrics: Prometheus text format. Public like /health (no secrets, no positions).
import { db } from "../../../server/db/client";
import { createMetricsRegistry } from "../../../server/metrics/prometheus-registry";

export const dynamic = "force-dynamic";

const registry = createMetricsRegistry(db);

export async function GET(): Promise<Response> {
  try {
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
  } catch (err) {
    return new Response(`# metrics unavailable: ${err instanceof Error ? err.message.split("\n")[0] : "error"}\n`, { status: 503 });
  }
}
