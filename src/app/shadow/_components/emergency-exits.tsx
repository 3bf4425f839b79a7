import { fmtAgo } from "../../_components/format";

/** The runbook's "Emergency exits suggested for: ..." with how often, how sure, and the latest why. */
export function EmergencyExits({ rows }: { rows: { symbol: string; count: number; avgConfidence: number; lastAt: Date; lastReason: string }[] }) {
  return (
    <section className="card" data-testid="emergency-exits">
      <h2>Emergency exits suggested (full_exit_now)</h2>
      {rows.length === 0 ? (
        <p className="muted">None in this range.</p>
      ) : (
        <div className="table-wrap">
          <table className="table cards-sm">
            <thead>
              <tr>
                <th>Symbol</th>
                <th className="num">Times</th>
                <th className="num">Avg conf.</th>
                <th>Last</th>
                <th>Latest reason</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.symbol}>
                  <td data-label="Symbol" className="mono tone-bad">{r.symbol}</td>
                  <td data-label="Times" className="num">{r.count}</td>
                  <td data-label="Avg conf." className="num">{r.avgConfidence.toFixed(2)}</td>
                  <td data-label="Last" className="nowrap small">{fmtAgo(r.lastAt)}</td>
                  <td data-label="Latest reason" className="small">{r.lastReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
