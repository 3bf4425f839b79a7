"use client";
// What rests on the exchange now, grouped per position (from the lifecycle the worker records).
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { fmtNum } from "../../_components/format";

/**
 * Orders listed per position; the rest are counted. A position normally has a stop and a target or
 * two resting; when the recorded lifecycle says otherwise (hundreds "open", e.g. statuses the
 * worker has not refreshed yet), listing them all pushed the orders table tens of thousands of
 * pixels down the page (bench/cockpit-pages: 1,000 lines, the table at y = 25,800 px).
 */
const SHOWN_PER_POSITION = 6;
/** orders.resting reads at most this many (src/server/services/orders/resting-orders.ts). */
const RESTING_READ_LIMIT = 1000;

export function RestingNow({ symbol, positionSide }: { symbol?: string; positionSide?: "long" | "short" }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.orders.resting.queryOptions({ ...(symbol ? { symbol } : {}), ...(positionSide ? { positionSide } : {}) }, { refetchInterval: 2000 }));
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading…</p>;
  if (q.data.length === 0) return <p className="muted" data-testid="resting-none">Nothing placed by this system rests on the exchange{symbol ? ` for ${symbol}` : ""}.</p>;
  const groups = new Map<string, typeof q.data>();
  for (const o of q.data) groups.set(`${o.symbol}-${o.positionSide}`, [...(groups.get(`${o.symbol}-${o.positionSide}`) ?? []), o]);
  return (
    <div className="stack" data-testid="resting-now">
      {[...groups].map(([key, orders]) => (
        <div key={key} className="card">
          <strong>
            {symbol ? key.replace("-", " ") : <Link href={`/positions/${key}`}>{key.replace("-", " ")}</Link>}
          </strong>
          <ul className="plain small">
            {orders.slice(0, SHOWN_PER_POSITION).map((o) => (
              <li key={o.id}>
                <span className={`pill ${o.exchangeStatus === "triggered" ? "tone-warn" : o.exchangeStatus === null ? "tone-muted" : "tone-ok"}`}>{o.exchangeStatus ?? "placed, unseen"}</span>{" "}
                {o.orderType === "STOP_MARKET" ? "stop" : o.orderType === "TAKE_PROFIT_MARKET" ? "take-profit" : o.orderType} {o.stopPrice !== null ? `@ ${fmtNum(o.stopPrice, 2)}` : ""} · qty {fmtNum(o.quantity)} · <span className="mono">{o.module}</span>
              </li>
            ))}
          </ul>
          {orders.length > SHOWN_PER_POSITION ? (
            <p className="muted small" style={{ margin: "4px 0 0" }} data-testid="resting-more">
              and {(orders.length - SHOWN_PER_POSITION).toLocaleString("en")} more{q.data.length >= RESTING_READ_LIMIT ? " (of the first 1,000 read)" : ""}: filter the orders below by status open
            </p>
          ) : null}
        </div>
      ))}
    </div>
  );
}
