"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../error-box";
import { pnlPctOf } from "../../../core/positions/position-chart";
import { fmtAgo, fmtNum, fmtUpnl } from "../format";

/** Open positions, problems first: no stop on the exchange, or LONG and SHORT on one symbol. */
export function PositionsCard() {
  const trpc = useTRPC();
  const q = useQuery(trpc.positions.list.queryOptions(undefined, { refetchInterval: 1000 }));
  const rows = q.data ?? [];
  return (
    <section className="card" aria-label="Open positions">
      <h2>
        Open positions <span className="muted small">{q.data ? rows.length : "…"}</span>
      </h2>
      <ErrorBox error={q.error} />
      {q.data && rows.length === 0 ? <p className="muted">No open positions.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table cards-sm" data-testid="positions-table">
            <thead>
              <tr>
                <th>Symbol</th>
                <th>Side</th>
                <th>Stop</th>
                <th>Dual</th>
                <th className="num">uPnL</th>
                <th className="num">Size</th>
                <th className="num">Entry</th>
                <th className="num">Mark</th>
                <th>Seen</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={`${p.symbol}:${p.positionSide}`}>
                  <td data-label="Symbol" className="mono">
                    <Link href={`/positions/${p.symbol}-${p.positionSide}`}>{p.symbol}</Link>
                  </td>
                  <td data-label="Side">{p.positionSide}</td>
                  <td data-label="Stop">
                    {p.protected ? (
                      <span className="pill tone-ok">protected{p.stopPrice !== null ? ` @ ${fmtNum(p.stopPrice)}` : ""}</span>
                    ) : (
                      <span className="pill tone-bad" suppressHydrationWarning>UNPROTECTED {p.unprotectedSince ? fmtAgo(p.unprotectedSince) : ""}</span>
                    )}
                  </td>
                  <td data-label="Dual">{p.dualPosition ? <span className="pill tone-bad">DUAL</span> : <span className="muted">no</span>}</td>
                  <td data-label="uPnL" className={`num ${p.unrealizedPnl < 0 ? "tone-bad" : "tone-ok"}`} data-testid="position-upnl">
                    {/* In money and % of entry, as on the position page (the same percentage: pnlPctOf). */}
                    {fmtUpnl(p.unrealizedPnl, p.positionSide === "long" || p.positionSide === "short" ? pnlPctOf(p.positionSide, p.entryPrice, p.markPrice) : null)}
                  </td>
                  <td data-label="Size" className="num">{fmtNum(p.size)}</td>
                  <td data-label="Entry" className="num">{fmtNum(p.entryPrice)}</td>
                  <td data-label="Mark" className="num">{fmtNum(p.markPrice)}</td>
                  {/* "n s ago" is rendered on the server first (page.tsx prefetches) and again on hydration a moment later. */}
                  <td data-label="Seen" className="muted small nowrap" suppressHydrationWarning>{fmtAgo(p.seenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
