// Plain-text tables for backtest and tune output.
import type { PolicyMetrics } from "../../core/backtest/types";

const SHORT: Record<string, string> = {
  STOP_LOSS: "SL",
  BREAKEVEN_STOP: "BE",
  TRAILING_STOP: "TRAIL",
  TAKE_PROFIT: "TP",
  TIME_LIMIT: "TIME",
  EMERGENCY: "EMERG",
  LIQUIDATION: "LIQ",
  END_OF_DATA: "EOD",
};

const pct = (x: number, d = 2): string => `${(x * 100).toFixed(d)}%`;

export function exitsText(m: PolicyMetrics): string {
  const parts = Object.entries(m.exitsByType)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${SHORT[k] ?? k} ${n}`);
  return `${parts.join(" · ")}${m.partialFills > 0 ? ` (+${m.partialFills} partial)` : ""}`;
}

export function metricsRow(m: PolicyMetrics): string[] {
  return [m.policy, String(m.trades), pct(m.winRate, 1), pct(m.totalReturn), m.avgR.toFixed(3), pct(m.maxDrawdown), m.sharpe.toFixed(4), exitsText(m)];
}

export const METRIC_HEADERS = ["policy", "trades", "win rate", "total return", "avg R", "max DD", "Sharpe", "exits by type"];

export function formatTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
