import Link from "next/link";
import { fmtNum, fmtTime, STATE_LABEL } from "../../_components/format";
import { ExchangeStatusPill, lifecycleDetail, type LifecycleFields } from "./exchange-status";

interface Row extends LifecycleFields {
  id: number;
  positionSide: string;
  createdAt: Date;
  module: string;
  kind: string;
  symbol: string;
  side: string;
  orderType: string;
  quantity: number;
  stopPrice: number | null;
  operationalState: string;
  toggleVersion: number | null;
  outcome: string;
  denyReason: string | null;
  exchangeOrderId: string | null;
  error: string | null;
  ownershipConflict: boolean;
}

const OUTCOME_TONE: Record<string, string> = { pending: "tone-muted", placed: "tone-ok", blocked: "tone-warn", rejected: "tone-bad", failed: "tone-bad" };

export function OrdersTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p className="muted">No order attempts match.</p>;
  return (
    <div className="card table-wrap">
      <table className="table cards-sm" data-testid="orders-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Outcome</th>
            <th>On the exchange</th>
            <th>Module</th>
            <th>Kind</th>
            <th>Symbol</th>
            <th>Side / type</th>
            <th className="num">Qty</th>
            <th className="num">Stop</th>
            <th>State</th>
            <th className="num">Toggles v</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.id}>
              <td data-label="When" className="nowrap small">{fmtTime(r.createdAt)}</td>
              <td data-label="Outcome">
                <span className={`pill ${OUTCOME_TONE[r.outcome] ?? ""}`}>{r.outcome}</span>
              </td>
              <td data-label="On the exchange">
                <ExchangeStatusPill o={r} />
              </td>
              <td data-label="Module" className="mono small">{r.module}</td>
              <td data-label="Kind" elementtiming={i === 0 ? "orders-table" : undefined}>{r.kind}</td>
              <td data-label="Symbol" className="mono">
                <Link href={`/positions/${r.symbol}-${r.positionSide}`}>{r.symbol}</Link> <span className="muted small">{r.positionSide}</span>
              </td>
              <td data-label="Side / type" className="small nowrap">
                {r.side} · {r.orderType}
              </td>
              <td data-label="Qty" className="num">{fmtNum(r.quantity)}</td>
              <td data-label="Stop" className="num">{fmtNum(r.stopPrice)}</td>
              <td data-label="State" className="small">{STATE_LABEL[r.operationalState] ?? r.operationalState}</td>
              <td data-label="Toggles v" className="num">{r.toggleVersion ?? "—"}</td>
              <td data-label="Detail" className="small">
                {r.denyReason ?? r.error ?? lifecycleDetail(r) ?? (r.exchangeOrderId ? `exchange #${r.exchangeOrderId}` : "—")}
                {r.ownershipConflict ? <span className="pill tone-warn" style={{ marginLeft: 6 }}>conflict</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
