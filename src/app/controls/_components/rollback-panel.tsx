import type { RollbackOption } from "../../../core/status/runbook-actions";
import { RollbackAction } from "../../_components/rollback-action";
import { STATE_LABEL } from "../../_components/format";

const BLURB: Record<RollbackOption["id"], string> = {
  "kill-switch": "A — fastest: LIVE rollout DISABLED; the executor keeps shadowing.",
  shadow: "B — executor mode SHADOW.",
  legacy: "C — full rollback: EXIT_MODE LEGACY, the executor stops.",
};

/** The runbook's rollbacks, each offered only when it would change a stored toggle; no approval. */
export function RollbackPanel({ rollbacks }: { rollbacks: RollbackOption[] }) {
  return (
    <section className="card" aria-label="Rollbacks" data-testid="rollbacks">
      <h2>Rollbacks (no approval needed)</h2>
      {rollbacks.length === 0 ? (
        <p className="muted small" style={{ margin: 0 }} data-testid="rollbacks-none">
          Nothing to roll back: every toggle already has its safest value (LEGACY, SHADOW, DISABLED). The kill switch in the top bar stays available.
        </p>
      ) : (
        <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))" }}>
          {rollbacks.map((r) => (
            <div className="stack" style={{ gap: 6 }} key={r.id}>
              <RollbackAction target={r.id} />
              <span className="muted small">
                {BLURB[r.id]} State after: {STATE_LABEL[r.stateAfter] ?? r.stateAfter}.
              </span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
