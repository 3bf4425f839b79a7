"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../../../trpc/react";
import { ErrorBox } from "../../../_components/error-box";
import { fmtMoney, fmtNum, fmtPct, fmtUpnl } from "../../../_components/format";
import { TimeText } from "../../../_components/time-zone";
import { OrdersTable } from "../../../orders/_components/orders-table";
import { RestingNow } from "../../../orders/_components/resting-now";
import { DecisionsTable } from "./decisions-table";
import { PositionActions } from "./position-actions";
import { PriceChart } from "./price-chart";

/**
 * `simulatorClock`: the exchange is the simulator, so a close time (the shadow comparison's) is on
 * its replayed clock and is labelled as simulator time, as on the Shadow page.
 */
export function PositionView({ id, canOperate, simulatorClock }: { id: string; canOperate: boolean; simulatorClock: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.positions.detail.queryOptions({ id }, { refetchInterval: 2000 }));
  if (q.error) return <ErrorBox error={q.error} />;
  const d = q.data;
  if (!d) return <p className="muted">Loading…</p>;
  const p = d.position;
  return (
    // minWidth 0 on the grid items: a chart (or a wide table) must not widen the page's track.
    <div className="stack" style={{ gridTemplateColumns: "minmax(0, 1fr)" }} data-testid="position-page">
      <h1>
        {d.symbol} <span className="muted">{d.positionSide}</span>{" "}
        <span className={`pill ${p ? "tone-ok" : "tone-muted"}`} data-testid="position-state">{p ? "open" : "closed"}</span>
        {d.handedBack ? <span className="pill tone-warn" style={{ marginLeft: 6 }} data-testid="handed-back">handed back to legacy</span> : null}
      </h1>
      <div className="grid" style={{ minWidth: 0 }}>
        <div className="card" style={{ minWidth: 0 }} data-testid="pnl-card">
          <h2>P&amp;L</h2>
          <dl className="kv">
            <dt>Unrealized</dt>
            <dd data-testid="upnl">{p ? fmtUpnl(d.pnl.unrealized, d.pnl.unrealizedPct, d.pnl.quote) : "— (closed)"}</dd>
            <dt>Realized</dt>
            <dd data-testid="realized">{d.pnl.realized === null ? "— (no exit fill recorded)" : `${fmtMoney(d.pnl.realized, d.pnl.quote)} from ${d.pnl.realizedFills} fill${d.pnl.realizedFills === 1 ? "" : "s"}, fees deducted`}</dd>
            <dt>Size / entry / mark</dt>
            <dd>{p ? `${fmtNum(p.size)} @ ${fmtNum(p.entryPrice, 2)} / ${fmtNum(p.markPrice, 2)}` : `entry ${fmtNum(d.entryPrice, 2)}`}</dd>
            <dt>Opened</dt>
            <dd>{d.openedAt ? <TimeText at={d.openedAt} /> : "—"}</dd>
          </dl>
        </div>
        <div className="card table-wrap" style={{ minWidth: 0 }} data-testid="legacy-vs-brain">
          <h2>What legacy did / what Exit Brain would have done</h2>
          <table className="table small">
            <thead>
              <tr><th /><th className="num">Stop</th><th className="num">Target</th></tr>
            </thead>
            <tbody>
              <tr><td className="wrap">Legacy&apos;s rule now (position_monitor)</td><td className="num">{fmtNum(d.legacyRule.sl, 2)}</td><td className="num">{fmtNum(d.legacyRule.tp, 2)}</td></tr>
              <tr><td className="wrap">Legacy&apos;s last order (placed or blocked)</td><td className="num">{fmtNum(d.latest.legacySl, 2)}</td><td className="num">{fmtNum(d.latest.legacyTp, 2)}</td></tr>
              <tr><td className="wrap">Exit Brain&apos;s last decision</td><td className="num">{fmtNum(d.latest.brainSl, 2)}</td><td className="num">{fmtNum(d.latest.brainTp, 2)}</td></tr>
            </tbody>
          </table>
          {d.comparison ? (
            <p className="small" data-testid="comparison">
              {simulatorClock ? "Closed (simulator time)" : "Closed"} <TimeText at={d.comparison.closedAt} simulator={simulatorClock} />: legacy {d.comparison.legacyExit} ({fmtPct(d.comparison.legacyReturnPct)}), Exit Brain would have {d.comparison.brainExit} ({fmtPct(d.comparison.brainReturnPct)}), over {d.comparison.decisions} decisions.
            </p>
          ) : (
            <p className="muted small">The side-by-side result appears when the position closes (shadowed positions).</p>
          )}
        </div>
      </div>
      <div className="card" style={{ minWidth: 0 }}>
        <h2>Price, entry and exits over time</h2>
        <PriceChart bars={d.chart.bars} edge={d.chart.edge} legacyFrom={d.chart.legacyFrom} entry={d.entryPrice} timeframe={d.chart.timeframe} candles={d.chart.candles} clock={d.chart.clock} />
      </div>
      <div className="card">
        <h2>Actions</h2>
        <PositionActions symbol={d.symbol} positionSide={d.positionSide} canOperate={canOperate} open={p !== null} handedBack={d.handedBack} actions={d.actions} />
      </div>
      <div>
        <h2>Resting on the exchange now</h2>
        <RestingNow symbol={d.symbol} positionSide={d.positionSide} />
      </div>
      <div>
        <h2>
          Decisions <span className="muted small">{d.decisionCount.toLocaleString("en")} in all, newest first</span>
        </h2>
        {d.decisions.rows.length === 0 || d.positionKey === null ? (
          <p className="muted">No Exit Brain decision recorded for this position.</p>
        ) : (
          <DecisionsTable positionKey={d.positionKey} newest={d.decisions} count={d.decisionCount} />
        )}
      </div>
      <div>
        <h2>
          Orders <span className="muted small"><Link href={`/orders?symbol=${d.symbol}`}>all on the Orders page</Link></span>
        </h2>
        <OrdersTable rows={d.orders} />
      </div>
    </div>
  );
}
