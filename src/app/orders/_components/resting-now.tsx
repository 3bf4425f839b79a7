"use client";
// What rests on the exchange now, grouped per position (from the lifecycle the worker records).
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { fmtNum } from "../../_components/format";

export function RestingNow({ symbol, positionSide }: { symbol?: string; positionSide?: "long" | "short" }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.orders.resting.queryOptions({ ...(symbol ? { symbol } : {}), ...(positionSide ? { positionSide } : {}) }, { refetchInterval: 2000 }));
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  if (q.data.length === 0) return <p className="muted" data-testid="resting-none">Nothing placed by this system rests on the exchange{symbol ? ` for ${symbol}` : ""}.</p>;
  // The server lists the first few per position and counts the rest (resting-orders.ts).
  return (
    <div className="stack" data-testid="resting-now">
      {q.data.map((g) => {
        const key = `${g.symbol}-${g.positionSide}`;
        return (
          <div key={key} className="card">
            <strong>{symbol ? `${g.symbol} ${g.positionSide}` : <Link href={`/positions/${key}`}>{`${g.symbol} ${g.positionSide}`}</Link>}</strong>
            <ul className="plain small">
              {g.orders.map((o) => (
                <li key={o.id}>
                  <span className={`pill ${o.exchangeStatus === "triggered" ? "tone-warn" : o.exchangeStatus === null ? "tone-muted" : "tone-ok"}`}>{o.exchangeStatus ?? "placed, unseen"}</span>{" "}
                  {o.orderType === "STOP_MARKET" ? "stop" : o.orderType === "TAKE_PROFIT_MARKET" ? "take-profit" : o.orderType} {o.stopPrice !== null ? `@ ${fmtNum(o.stopPrice, 2)}` : ""} · qty {fmtNum(o.quantity)} · <span className="mono">{o.module}</span>
                </li>
              ))}
            </ul>
            {g.total > g.orders.length ? (
              <p className="muted small" style={{ margin: "4px 0 0" }} data-testid="resting-more">
                and {(g.total - g.orders.length).toLocaleString("en")} more: filter the orders below by status open
              </p>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
