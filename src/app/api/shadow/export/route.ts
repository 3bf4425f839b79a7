// GET /api/shadow/export?format=jsonl|csv&since=ISO&until=ISO&symbol=BTCUSDT
// The shadow log as a download, streamed page by page. Needs a session (checked here as well
// as in the proxy: a route handler must not rely on the front door alone).
import { currentSession } from "../../../../server/auth/current-session";
import { db } from "../../../../server/db/client";
import { CSV_HEADER, exportShadowDecisions, toCsvLine, toJsonLine } from "../../../../server/services/shadow/export-shadow-decisions";
import { ShadowFilterInput } from "../../../../server/services/shadow/shadow-filter";

export const dynamic = "force-dynamic";

function bad(message: string, status = 400): Response {
  return Response.json({ error: { code: status === 401 ? "UNAUTHORIZED" : "BAD_REQUEST", message } }, { status });
}

function dateParam(v: string | null): Date | undefined | "invalid" {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? "invalid" : d;
}

export async function GET(req: Request): Promise<Response> {
  if (!(await currentSession())) return bad("Sign in required: this endpoint needs a session cookie from /signin.", 401);
  const q = new URL(req.url).searchParams;
  const format = q.get("format") ?? "jsonl";
  if (format !== "jsonl" && format !== "csv") return bad(`format must be jsonl or csv, got "${format}".`);
  const since = dateParam(q.get("since"));
  const until = dateParam(q.get("until"));
  if (since === "invalid" || until === "invalid") return bad("since and until must be ISO dates, e.g. 2026-01-01T00:00:00Z.");
  const filter = ShadowFilterInput.safeParse({ since, until, symbol: q.get("symbol") || undefined });
  if (!filter.success) return bad(filter.error.issues.map((i) => i.message).join("; "));

  const rows = exportShadowDecisions(db(), filter.data);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(CSV_HEADER));
    },
    async pull(controller) {
      // ~500 lines per chunk keeps memory flat without a syscall per line.
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += format === "csv" ? toCsvLine(next.value) : toJsonLine(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="exit_brain_shadow-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
