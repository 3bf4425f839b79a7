// The shadow log as the runbook's pandas snippet reads it: JSON Lines with flat keys
// (`symbol`, `pnl_pct`, `decision.decision_type`, ...), or CSV with the same columns.
// Read in pages by id, so an export of a million rows never sits in memory at once.
import type { Db } from "../../db/client";
import { rangeOf, type ShadowFilter } from "./shadow-filter";

export const EXPORT_COLUMNS = [
  "timestamp", "symbol", "side", "size", "entry_price", "mark_price", "pnl_pct", "mode", "position_key", "toggle_version",
  "decision.decision_type", "decision.confidence", "decision.reason", "decision.new_sl", "decision.sl_reason",
  "decision.fraction", "decision.new_tp", "decision.exit_reason",
] as const;
export type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

const PAGE = 5_000;

export async function* exportShadowDecisions(db: Db, f: ShadowFilter): AsyncGenerator<ExportRecord> {
  const r = rangeOf(f);
  let after = -1n;
  for (;;) {
    const rows = await db.shadowDecision.findMany({
      where: { id: { gt: after }, at: { gte: r.since, lt: r.until }, ...(r.symbol ? { symbol: r.symbol } : {}) },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    for (const d of rows) {
      yield {
        timestamp: d.at.toISOString(),
        symbol: d.symbol,
        side: d.side,
        size: d.size,
        entry_price: d.entryPrice,
        mark_price: d.markPrice,
        pnl_pct: d.pnlPct,
        mode: d.mode,
        position_key: d.positionKey,
        toggle_version: d.toggleVersion === null ? null : Number(d.toggleVersion),
        "decision.decision_type": d.decisionType,
        "decision.confidence": d.confidence,
        "decision.reason": d.reason,
        "decision.new_sl": d.newSl,
        "decision.sl_reason": d.slReason,
        "decision.fraction": d.fraction,
        "decision.new_tp": d.newTp,
        "decision.exit_reason": d.exitReason,
      };
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

export function toJsonLine(r: ExportRecord): string {
  return `${JSON.stringify(r)}\n`;
}

/** RFC 4180: quote a field when it holds a comma, quote or line break; double inner quotes. */
function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_HEADER = `${EXPORT_COLUMNS.join(",")}\n`;

export function toCsvLine(r: ExportRecord): string {
  return `${EXPORT_COLUMNS.map((c) => csvField(r[c])).join(",")}\n`;
}
