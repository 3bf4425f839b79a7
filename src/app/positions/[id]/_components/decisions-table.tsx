"use client";
// One position's decisions, newest first: the newest page comes with the position's data (and
// refreshes with it); older pages are asked for by cursor and, like the Orders page's, are
// history (they do not refresh).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import type { AppRouter } from "../../../../server/api/root";
import { useTRPC } from "../../../../trpc/react";
import { ErrorBox } from "../../../_components/error-box";
import { fmtNum, fmtPct } from "../../../_components/format";
import { TimeText } from "../../../_components/time-zone";

type PositionDecisionPage = inferRouterOutputs<AppRouter>["positions"]["decisions"];
type Cursor = NonNullable<PositionDecisionPage["older"]>;

export function DecisionsTable({ positionKey, newest, count }: { positionKey: string; newest: PositionDecisionPage; count: number }) {
  const trpc = useTRPC();
  const [cursors, setCursors] = useState<Cursor[]>([]);
  const cursor = cursors.at(-1);
  const older = useQuery(trpc.positions.decisions.queryOptions({ positionKey, before: cursor }, { enabled: cursor !== undefined, placeholderData: keepPreviousData }));
  const page = cursor === undefined ? newest : older.data;
  return (
    <div className="card table-wrap">
      <ErrorBox error={cursor === undefined ? null : older.error} />
      {page ? (
        <table className="table cards-sm" data-testid="decisions-table">
          <thead>
            <tr><th>When</th><th>Decision</th><th>Mode</th><th className="num">Mark</th><th className="num">P&amp;L %</th><th className="num">Stop</th><th className="num">Target</th><th>Reason</th></tr>
          </thead>
          <tbody>
            {page.rows.map((x, i) => (
              <tr key={x.id}>
                <td data-label="When" className="nowrap small"><TimeText at={x.at} /></td>
                <td data-label="Decision" elementtiming={i === 0 && cursor === undefined ? "decisions-table" : undefined}>{x.type}</td>
                <td data-label="Mode" className="small">{x.mode}</td>
                <td data-label="Mark" className="num">{fmtNum(x.markPrice, 2)}</td>
                <td data-label="P&L %" className="num">{fmtPct(x.pnlPct)}</td>
                <td data-label="Stop" className="num">{fmtNum(x.newSl, 2)}</td>
                <td data-label="Target" className="num">{fmtNum(x.newTp, 2)}</td>
                <td data-label="Reason" className="small wrap">{x.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Loading…</p>
      )}
      {count > newest.rows.length ? (
        <div className="btn-row">
          <button type="button" className="btn" disabled={cursors.length === 0} onClick={() => setCursors([])}>
            ← Newest
          </button>
          {/* While an older page loads, the one shown is the previous page (placeholder): its cursor was already followed. */}
          <button type="button" className="btn" disabled={!page?.older || (cursor !== undefined && older.isPlaceholderData)} data-testid="decisions-older" onClick={() => page?.older && setCursors([...cursors, page.older])}>
            Older →
          </button>
          {cursors.length > 0 ? <span className="muted small" style={{ alignSelf: "center" }}>page {cursors.length + 1} (not auto-refreshing)</span> : null}
        </div>
      ) : null}
    </div>
  );
}
