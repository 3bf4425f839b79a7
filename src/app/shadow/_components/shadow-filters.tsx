"use client";

export const RANGES = [
  { key: "1h", label: "last 1 h", ms: 3_600_000 },
  { key: "6h", label: "last 6 h", ms: 6 * 3_600_000 },
  { key: "24h", label: "last 24 h", ms: 24 * 3_600_000 },
  { key: "7d", label: "last 7 days", ms: 7 * 86_400_000 },
  { key: "30d", label: "last 30 days", ms: 30 * 86_400_000 },
  { key: "all", label: "all time", ms: null },
] as const;
export type RangeKey = (typeof RANGES)[number]["key"];

export interface ShadowFilterState {
  range: RangeKey;
  symbol: string;
}

/** The range is anchored to the current minute, so the query key (and cache) changes once a minute, not every render. */
export function filterInput(f: ShadowFilterState, now = Date.now()): { since?: Date; symbol?: string } {
  const range = RANGES.find((r) => r.key === f.range);
  const minute = Math.floor(now / 60_000) * 60_000;
  return {
    ...(range?.ms ? { since: new Date(minute - range.ms) } : {}),
    ...(f.symbol ? { symbol: f.symbol } : {}),
  };
}

export function exportHref(format: "jsonl" | "csv", input: { since?: Date; symbol?: string }): string {
  const q = new URLSearchParams({ format });
  if (input.since) q.set("since", input.since.toISOString());
  if (input.symbol) q.set("symbol", input.symbol);
  return `/api/shadow/export?${q.toString()}`;
}

export function ShadowFilters(props: { value: ShadowFilterState; symbols: string[]; onChange: (v: ShadowFilterState) => void; input: { since?: Date; symbol?: string } }) {
  const { value, onChange } = props;
  return (
    <div className="filters card" role="search" aria-label="Filters">
      <label className="field">
        <span>Time range</span>
        <select className="input" value={value.range} onChange={(e) => onChange({ ...value, range: e.target.value as RangeKey })} data-testid="shadow-range">
          {RANGES.map((r) => (
            <option key={r.key} value={r.key}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Symbol</span>
        <select className="input" value={value.symbol} onChange={(e) => onChange({ ...value, symbol: e.target.value })} data-testid="shadow-symbol">
          <option value="">all symbols</option>
          {props.symbols.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <div className="btn-row" style={{ marginLeft: "auto" }}>
        <a className="btn" href={exportHref("jsonl", props.input)} download data-testid="export-jsonl">
          Export JSONL
        </a>
        <a className="btn" href={exportHref("csv", props.input)} download data-testid="export-csv">
          Export CSV
        </a>
      </div>
    </div>
  );
}
