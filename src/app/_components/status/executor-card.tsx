import { fmtAgo } from "../format";
import { TimeText } from "../time-zone";

export function ExecutorCard(props: {
  executor: { running: boolean; effective_mode: string; last_decision_timestamp: string | null };
  worker: { up: boolean; worker_id: string | null; last_beat_at: string | null; seconds_since_beat: number | null; toggle_state_confirmed: boolean | null };
}) {
  const { executor: e, worker: w } = props;
  return (
    <section className="card" aria-label="Executor and worker">
      <h2>Executor</h2>
      <dl className="kv">
        <dt>Running</dt>
        <dd className={e.running ? "tone-ok" : "tone-muted"} data-testid="executor-running">{e.running ? "yes" : "no"}</dd>
        <dt>Effective mode (worker)</dt>
        <dd className="mono" data-testid="executor-mode">{e.effective_mode}</dd>
        <dt>Last decision</dt>
        {/* suppressHydrationWarning: "(n s ago)" differs between the server's render and hydration. */}
        <dd suppressHydrationWarning>{e.last_decision_timestamp ? <><TimeText at={e.last_decision_timestamp} /> ({fmtAgo(e.last_decision_timestamp)})</> : "none yet"}</dd>
        <dt>Worker</dt>
        <dd className={w.up ? "tone-ok" : "tone-bad"}>
          {w.up ? "up" : "DOWN"}
          {w.seconds_since_beat !== null ? `, last beat ${w.seconds_since_beat} s ago` : ", never seen"}
        </dd>
        <dt>Toggles seen</dt>
        <dd>{w.toggle_state_confirmed === null ? "—" : w.toggle_state_confirmed ? "confirmed" : "NOT confirmed (acting as SHADOW)"}</dd>
        <dt>Worker id</dt>
        <dd className="mono small">{w.worker_id ?? "—"}</dd>
      </dl>
    </section>
  );
}
