// Under the decisions-over-time chart: which part of it the retention left to the per-minute
// rollup. Full decisions are kept RETENTION_SHADOW_DECISION_DAYS (whole UTC days), the rollup
// (counts per minute and decision type, no symbol) forever. Times in UTC: retention is by UTC day.
export interface ChartRetention {
  rawFrom: Date | null;
  rollupFrom: Date;
  shown: boolean;
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function RetentionNote({ retention }: { retention: ChartRetention | null | undefined }) {
  if (!retention) return null;
  const { rawFrom, rollupFrom, shown } = retention;
  const kept = "full decisions are kept for the retention period (RETENTION_SHADOW_DECISION_DAYS, 90 days by default)";
  return (
    <p className="muted small" data-testid="chart-retention-note">
      {shown
        ? rawFrom
          ? `From ${utc(rollupFrom)} to ${utc(rawFrom)} the counts come from the per-minute rollup, kept forever; ${kept}.`
          : `All counts here come from the per-minute rollup, kept forever: no full decision is kept in this range; ${kept}.`
        : `Filtered by symbol, the chart starts at the oldest decision kept${rawFrom ? ` (${utc(rawFrom)})` : ""}: the per-minute rollup goes back to ${utc(rollupFrom)} but has no symbol; clear the symbol filter to see those days.`}
    </p>
  );
}
