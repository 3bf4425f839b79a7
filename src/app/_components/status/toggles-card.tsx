const KEYS = ["EXIT_MODE", "EXIT_EXECUTOR_MODE", "EXIT_BRAIN_V3_LIVE_ROLLOUT"] as const;
type Key = (typeof KEYS)[number];

/** Stored (database) vs effective (after environment ceilings), with the ceiling when one applies. */
export function TogglesCard(props: { stored: Record<Key, string>; effective: Record<Key, string>; ceilings: Partial<Record<Key, string>>; version: number | null }) {
  return (
    <section className="card" aria-label="Toggles">
      <h2>Toggles {props.version !== null ? <span className="muted small">v{props.version}</span> : null}</h2>
      {/* One block per toggle rather than a 4-column table: the names are long and phones are narrow. */}
      <div>
        {KEYS.map((k) => {
          const limited = props.stored[k] !== props.effective[k];
          return (
            <div className="toggle-row" key={k} data-testid={`toggle-${k}`}>
              <span className="name mono">{k}</span>
              <span className="small">
                <span className="muted">stored </span>
                <span className="mono">{props.stored[k]}</span>
              </span>
              <span className="small">
                <span className="muted">effective </span>
                <span className={`mono ${limited ? "tone-warn" : ""}`}>{props.effective[k]}</span>
              </span>
              {props.ceilings[k] ? (
                <span className="small tone-warn">
                  env ceiling <span className="mono">{props.ceilings[k]}</span>
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      {Object.keys(props.ceilings).length === 0 ? <p className="muted small" style={{ margin: "6px 0 0" }}>No environment ceiling on this deployment.</p> : null}
    </section>
  );
}
