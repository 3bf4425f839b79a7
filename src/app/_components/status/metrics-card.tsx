import type { ExitMetrics } from "../../../core/status/status-report";
import type { MetricsAssessment, MetricsPeriod } from "../../../core/status/metrics-assessment";
import { STATE_LABEL } from "../format";
import { TimeText } from "../time-zone";

const list = (r: Record<string, number>) => (Object.keys(r).length ? Object.entries(r).map(([k, v]) => `${k}: ${v}`).join(" · ") : "none");

/**
 * The runbook's metrics for the current period (since the current state began), read as the
 * runbook does (healthy / red flags), with the lifetime totals below for reference.
 */
export function MetricsCard(props: { metrics: ExitMetrics; period: MetricsPeriod; lifetime: ExitMetrics; assessment: MetricsAssessment }) {
  const { metrics: m, period: p, lifetime: l, assessment: a } = props;
  return (
    <section className="card" aria-label="Metrics">
      <h2>
        Metrics{" "}
        <span className={`pill ${a.healthy ? "tone-ok" : "tone-bad"}`} data-testid="metrics-health">
          {a.healthy ? "healthy" : `${a.red_flags.length} red flag${a.red_flags.length === 1 ? "" : "s"}`}
        </span>
      </h2>
      <p className="small muted" style={{ margin: "0 0 8px" }} data-testid="metrics-period">
        Since {STATE_LABEL[p.state] ?? p.state} began{p.since ? <> (<TimeText at={p.since} />, toggle version {p.toggle_version})</> : null}
      </p>
      <div className="stats">
        <div>
          <div className="stat" data-testid="metric-total">{m.total_exit_orders}</div>
          <div className="muted small">exit order attempts</div>
        </div>
        <div>
          <div className="stat" data-testid="metric-blocked">{m.blocked_legacy_orders}</div>
          <div className="muted small">blocked legacy orders</div>
        </div>
        <div>
          <div className="stat">{m.ownership_conflicts}</div>
          <div className="muted small">ownership conflicts</div>
        </div>
      </div>
      <p className="small" style={{ marginBottom: 0 }}>
        <span className="muted">Placed by module: </span>
        {list(m.orders_by_module)}
        <br />
        <span className="muted">Placed by kind: </span>
        {list(m.orders_by_kind)}
      </p>
      {a.red_flags.length > 0 ? (
        <ul className="error small" style={{ margin: "8px 0 0", paddingLeft: 24 }} data-testid="metrics-red-flags">
          {a.red_flags.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
      {a.checks.length > 0 ? (
        <ul className="small muted" style={{ margin: "8px 0 0", paddingLeft: 20 }}>
          {a.checks.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
      <p className="small muted" style={{ margin: "8px 0 0" }} data-testid="metrics-lifetime">
        Lifetime: {l.total_exit_orders} attempts, {l.blocked_legacy_orders} blocked, {l.ownership_conflicts} conflicts; placed by module {list(l.orders_by_module)}
      </p>
    </section>
  );
}
