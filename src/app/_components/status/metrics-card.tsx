export function MetricsCard(props: { metrics: { total_exit_orders: number; blocked_legacy_orders: number; ownership_conflicts: number; orders_by_module: Record<string, number>; orders_by_kind: Record<string, number> } }) {
  const m = props.metrics;
  const list = (r: Record<string, number>) => (Object.keys(r).length ? Object.entries(r).map(([k, v]) => `${k}: ${v}`).join(" · ") : "none");
  return (
    <section className="card" aria-label="Metrics">
      <h2>Metrics</h2>
      <div className="stats">
        <div>
          <div className="stat" data-testid="metric-total">{m.total_exit_orders}</div>
          <div className="muted small">exit order attempts</div>
        </div>
        <div>
          <div className="stat">{m.blocked_legacy_orders}</div>
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
    </section>
  );
}
