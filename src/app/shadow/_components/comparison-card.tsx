import { fmtPct } from "../../_components/format";
import { TimeText } from "../../_components/time-zone";
import type { ShadowComparisonView } from "../../../server/services/shadow/get-shadow-comparison";

/** AI vs legacy: the total first (the verdict), then each closed position. */
export function ComparisonCard({ data, simulatorClock }: { data: ShadowComparisonView; simulatorClock: boolean }) {
  const t = data.total;
  const better = t.brainAvgReturnPct !== null && t.legacyAvgReturnPct !== null ? t.brainAvgReturnPct - t.legacyAvgReturnPct : null;
  return (
    <section className="card stack" data-testid="comparison">
      <h2 style={{ margin: 0 }}>Exit Brain vs legacy on closed positions</h2>
      {t.positions === 0 ? (
        <p className="muted" style={{ margin: 0 }}>No position closed in this range while Exit Brain shadowed it.</p>
      ) : (
        <>
          <div className="stats">
            <div>
              <div className={`stat ${better !== null && better < 0 ? "tone-bad" : "tone-ok"}`} data-testid="comparison-verdict">
                {better === null ? "—" : fmtPct(better)}
              </div>
              <div className="muted small">Exit Brain minus legacy, avg per position</div>
            </div>
            <div data-testid="comparison-test">
              <div className={`stat ${t.test.verdict === "worse" ? "tone-bad" : t.test.verdict === "not_worse" ? "tone-ok" : ""}`}>
                {t.test.ci95 ? `[${fmtPct(t.test.ci95[0])}, ${fmtPct(t.test.ci95[1])}]` : "—"}
              </div>
              <div className="muted small">
                95% CI of the difference, paired t-test over {t.test.days} day{t.test.days === 1 ? "" : "s"}
                {t.test.p !== null ? `, p=${t.test.p.toFixed(3)}` : ""}:{" "}
                {t.test.verdict === "insufficient"
                  ? `too few to judge (${t.test.positions} of ${t.test.minPositions} positions where Exit Brain exited, on 2+ days)`
                  : t.test.verdict === "worse"
                    ? `significantly worse, over ${t.test.positions} positions where Exit Brain exited`
                    : `not significantly worse, over ${t.test.positions} positions where Exit Brain exited`}
                {t.test.heldToClose > 0 ? (
                  <span data-testid="comparison-held">
                    ; {t.test.heldToClose} left out: Exit Brain still held them at legacy&apos;s close (valued at it), so they show nothing of its exits
                  </span>
                ) : null}
              </div>
            </div>
            <div>
              <div className="stat">{fmtPct(t.brainAvgReturnPct)}</div>
              <div className="muted small">Exit Brain avg return</div>
            </div>
            <div>
              <div className="stat">{fmtPct(t.legacyAvgReturnPct)}</div>
              <div className="muted small">legacy avg return</div>
            </div>
            <div>
              <div className="stat">
                {t.brainBetter} / {t.legacyBetter} / {t.ties}
              </div>
              <div className="muted small">brain better / legacy better / tie ({t.positions} positions)</div>
            </div>
          </div>
          <div className="table-wrap">
            <table className="table cards-sm">
              <thead>
                <tr>
                  <th>Symbol</th>
                  <th className="num">Diff</th>
                  <th className="num">Legacy</th>
                  <th className="num">Exit Brain</th>
                  <th>{simulatorClock ? "Closed (simulator time)" : "Closed"}</th>
                  <th>Side</th>
                  <th>Exits (legacy / brain)</th>
                  <th className="num">Decisions</th>
                </tr>
              </thead>
              <tbody>
                {data.positions.map((p) => {
                  const d = p.brainReturnPct - p.legacyReturnPct;
                  return (
                    <tr key={p.positionKey}>
                      <td data-label="Symbol" className="mono">{p.symbol}</td>
                      <td data-label="Diff" className={`num ${d < 0 ? "tone-bad" : d > 0 ? "tone-ok" : ""}`}>{fmtPct(d)}</td>
                      <td data-label="Legacy" className="num">{fmtPct(p.legacyReturnPct)}</td>
                      <td data-label="Exit Brain" className="num">{fmtPct(p.brainReturnPct)}</td>
                      <td data-label={simulatorClock ? "Closed (sim)" : "Closed"} className="nowrap small"><TimeText at={p.closedAt} simulator={simulatorClock} /></td>
                      <td data-label="Side">{p.side}</td>
                      <td data-label="Exits (legacy / brain)" className="small">
                        {p.legacyExit} / {p.brainExit}
                        {p.heldToClose ? <span className="muted"> · left out of the test</span> : null}
                      </td>
                      <td data-label="Decisions" className="num">{p.decisions}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
