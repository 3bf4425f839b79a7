"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EXIT_BRAIN_MODULES, LEGACY_MODULES, OPERATOR_MODULE } from "../../../core/gateway/modules";
import { LIFECYCLE_STATUSES } from "../../../core/orders/order-lifecycle";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { OrdersTable } from "./orders-table";

const OUTCOMES = ["pending", "placed", "blocked", "rejected", "failed"] as const;
// "unseen": placed, not yet seen by the worker (the orders service's filter value)
const STATUSES = [...LIFECYCLE_STATUSES, "unseen"] as const;
// every module that sends orders through the gateway, as core names them
const MODULES = [...EXIT_BRAIN_MODULES, ...LEGACY_MODULES, OPERATOR_MODULE] as const;

export function OrdersView({ initialSymbol }: { initialSymbol?: string }) {
  const trpc = useTRPC();
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number] | "">("");
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "">("");
  const [module, setModule] = useState("");
  // Linked from a position page as /orders?symbol=BTCUSDT: start filtered on that symbol.
  const [symbol, setSymbol] = useState(initialSymbol ?? "");
  // Older pages by cursor; the first page keeps refreshing, older ones are history.
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors[cursors.length - 1];
  const reset = () => setCursors([]);
  const q = useQuery(
    trpc.orders.list.queryOptions(
      { ...(outcome ? { outcome } : {}), ...(status ? { exchangeStatus: status } : {}), ...(module ? { module } : {}), ...(symbol.trim() ? { symbol: symbol.trim() } : {}), ...(cursor ? { cursor } : {}), limit: 50 },
      { refetchInterval: cursor ? false : 1000, placeholderData: keepPreviousData },
    ),
  );
  return (
    <div className="stack">
      <div className="filters card" role="search" aria-label="Filters">
        <label className="field">
          <span>Outcome</span>
          <select className="input" value={outcome} onChange={(e) => { setOutcome(e.target.value as typeof outcome); reset(); }}>
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>On the exchange</span>
          <select className="input" value={status} onChange={(e) => { setStatus(e.target.value as typeof status); reset(); }} data-testid="status-filter">
            <option value="">any</option>
            {STATUSES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Module</span>
          <select className="input" value={module} onChange={(e) => { setModule(e.target.value); reset(); }}>
            <option value="">any</option>
            {MODULES.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Symbol</span>
          <input className="input" value={symbol} onChange={(e) => { setSymbol(e.target.value); reset(); }} placeholder="e.g. BTCUSDT" />
        </label>
      </div>
      <ErrorBox error={q.error} />
      {q.data ? <OrdersTable rows={q.data.rows} /> : <p className="muted">Loading…</p>}
      <div className="btn-row">
        <button type="button" className="btn" disabled={cursors.length === 0} onClick={reset}>
          ← Newest
        </button>
        {/* While a page loads, the one shown is the previous page (placeholder): its cursor was already followed. */}
        <button type="button" className="btn" disabled={!q.data?.nextCursor || q.isPlaceholderData} onClick={() => q.data?.nextCursor && setCursors([...cursors, q.data.nextCursor])}>
          Older →
        </button>
        {cursors.length > 0 ? <span className="muted small" style={{ alignSelf: "center" }}>page {cursors.length + 1} (not auto-refreshing)</span> : null}
      </div>
    </div>
  );
}
