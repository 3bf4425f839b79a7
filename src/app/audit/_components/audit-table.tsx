import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../../server/api/root";
import { STATE_LABEL } from "../../_components/format";
import { TimeText } from "../../_components/time-zone";

/** One audit entry as the API returns it (the router's output schema is the one definition). */
type Row = inferRouterOutputs<AppRouter>["audit"]["list"][number];

const KIND_TONE: Record<string, string> = { escalation: "tone-bad", rollback: "tone-ok", neutral: "tone-muted" };

/** Only the toggles that changed, so each row reads as "X: A → B". */
function changed(r: Row): string {
  const keys = Object.keys(r.togglesAfter).filter((k) => r.togglesBefore?.[k] !== r.togglesAfter[k]);
  return keys.map((k) => `${k}: ${r.togglesBefore?.[k] ?? "—"} → ${r.togglesAfter[k]}`).join("\n");
}

export function AuditTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p className="muted">No toggle changes match.</p>;
  return (
    <div className="card table-wrap">
      <table className="table cards-sm" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Source</th>
            <th>Kind</th>
            <th>From → to</th>
            <th>Changed</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row">
              <td data-label="When" className="nowrap small">
                <TimeText at={r.at} />
                <div className="muted">#{r.id} · v{r.versionBefore ?? "—"}→v{r.versionAfter}</div>
              </td>
              <td data-label="Who">{r.actor}</td>
              <td data-label="Source">{r.source}</td>
              <td data-label="Kind">
                <span className={`pill ${KIND_TONE[r.kind] ?? ""}`}>{r.kind}</span>
              </td>
              <td data-label="From → to" className="nowrap">
                {r.stateBefore ? STATE_LABEL[r.stateBefore] ?? r.stateBefore : "—"} → <strong>{STATE_LABEL[r.stateAfter] ?? r.stateAfter}</strong>
              </td>
              <td data-label="Changed" className="mono small" style={{ whiteSpace: "pre-line" }}>{changed(r) || "—"}</td>
              <td data-label="Reason" className="small wrap">{r.reason ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
