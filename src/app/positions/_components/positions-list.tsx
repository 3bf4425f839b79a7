"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { fmtNum } from "../../_components/format";

export function PositionsList() {
  const trpc = useTRPC();
  const q = useQuery(trpc.positions.list.queryOptions(undefined, { refetchInterval: 2000 }));
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  if (q.data.length === 0) return <p className="muted">No open position.</p>;
  return (
    <ul className="plain" data-testid="positions-list">
      {q.data.map((p, i) => (
        // the mark sits on the block (li): Chromium times text by its nearest block, not an inline span
        <li key={`${p.symbol}-${p.positionSide}`} className="card" elementtiming={i === 0 ? "positions-list" : undefined}>
          <Link href={`/positions/${p.symbol}-${p.positionSide}`}>
            {p.symbol} {p.positionSide}
          </Link>{" "}
          <span className="muted small">
            size {fmtNum(p.size)} · entry {fmtNum(p.entryPrice, 2)} · uPnL {p.unrealizedPnl >= 0 ? "+" : ""}
            {p.unrealizedPnl.toFixed(2)} USDT
          </span>
        </li>
      ))}
    </ul>
  );
}
