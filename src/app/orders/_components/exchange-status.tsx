// An order's life on the exchange as a pill plus one line of detail (fill, fee, who cancelled).
import { fmtNum } from "../../_components/format";

const STATUS_TONE: Record<string, string> = {
  open: "tone-ok", triggered: "tone-warn", filled: "tone-ok", cancelled: "tone-muted", expired: "tone-muted", rejected: "tone-bad",
};

export interface LifecycleFields {
  outcome: string;
  exchangeStatus: string | null;
  filledQuantity: number | null;
  fillPrice: number | null;
  fee: number | null;
  feeAsset: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
}

export function ExchangeStatusPill({ o }: { o: LifecycleFields }) {
  if (o.outcome !== "placed") return <span className="muted small">not on the exchange</span>;
  if (o.exchangeStatus === null) return <span className="pill tone-muted" title="placed; the worker has not seen it on the exchange yet">placed, unseen</span>;
  return <span className={`pill ${STATUS_TONE[o.exchangeStatus] ?? ""}`} data-testid="exchange-status">{o.exchangeStatus}</span>;
}

export function lifecycleDetail(o: LifecycleFields): string | null {
  if (o.exchangeStatus === "filled") {
    const fee = o.fee === null ? "fee not reported" : `fee ${fmtNum(o.fee, 6)} ${o.feeAsset ?? ""}`.trim();
    return `filled ${fmtNum(o.filledQuantity)} @ ${fmtNum(o.fillPrice, 2)} · ${fee}`;
  }
  if (o.exchangeStatus === "cancelled") return `cancelled by ${o.cancelledBy ?? "?"}: ${o.cancelReason ?? "no reason recorded"}`;
  if (o.exchangeStatus === "expired") return o.filledQuantity ? `expired after ${fmtNum(o.filledQuantity)} filled` : "expired without a fill";
  if (o.exchangeStatus === "rejected") return "rejected by the exchange";
  return null;
}
