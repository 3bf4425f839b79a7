import { RollbackAction } from "../../_components/rollback-action";

/** The runbook's three rollbacks side by side: one click each, no approval. */
export function RollbackPanel() {
  return (
    <section className="card" aria-label="Rollbacks">
      <h2>Rollbacks (no approval needed)</h2>
      <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))" }}>
        <div className="stack" style={{ gap: 6 }}>
          <RollbackAction target="kill-switch" />
          <span className="muted small">A — fastest: LIVE rollout DISABLED; executor keeps shadowing.</span>
        </div>
        <div className="stack" style={{ gap: 6 }}>
          <RollbackAction target="shadow" />
          <span className="muted small">B — executor mode SHADOW.</span>
        </div>
        <div className="stack" style={{ gap: 6 }}>
          <RollbackAction target="legacy" />
          <span className="muted small">C — full rollback: EXIT_MODE LEGACY, executor stops.</span>
        </div>
      </div>
    </section>
  );
}
