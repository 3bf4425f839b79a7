import { executorModeOf, type OperationalState } from "../../../core/toggles";

const KEYS = ["EXIT_MODE", "EXIT_EXECUTOR_MODE", "EXIT_BRAIN_V3_LIVE_ROLLOUT"] as const;
type Key = (typeof KEYS)[number];

/**
 * Stored (database) vs after the environment ceilings, with the ceiling when one applies, and the
 * executor mode these toggles give (executorModeOf, the same function behind the Executor card's
 * fallback): in the dry run EXIT_EXECUTOR_MODE reads LIVE but the effective mode is SHADOW.
 */
export function TogglesCard(props: { stored: Record<Key, string>; effective: Record<Key, string>; ceilings: Partial<Record<Key, string>>; version: number | null; state: OperationalState }) {
  const mode = executorModeOf(props.state);
  const forced = props.effective.EXIT_EXECUTOR_MODE === "LIVE" && mode === "SHADOW";
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
                <span className="muted">after ceilings </span>
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
      <p className="small" style={{ margin: "8px 0 0" }} data-testid="toggles-effective-mode">
        <span className="muted">Effective mode </span>
        <span className="mono">{mode}</span>
        {forced ? <span className="muted"> (EXIT_EXECUTOR_MODE=LIVE is forced to SHADOW while EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED)</span> : null}
      </p>
      {Object.keys(props.ceilings).length === 0 ? <p className="muted small" style={{ margin: "6px 0 0" }}>No environment ceiling on this deployment.</p> : null}
    </section>
  );
}
