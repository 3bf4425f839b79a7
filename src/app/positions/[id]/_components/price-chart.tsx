"use client";
// Candles with the entry and, over time, legacy's stop and take-profit and Exit Brain's (the level in
// force at each bar). Bars are folded server-side (at most a few hundred), so this stays light.
import { lazy, Suspense } from "react";
import { useTimeZone } from "../../../_components/time-zone";
import { useHydrated } from "../../../_components/use-hydrated";
import { ChartPreview } from "./chart-preview";
import type { ChartBar, ChartRow, Levels } from "./chart-row";

/** recharts in its own chunk, fetched after hydration: not among the scripts run before first paint. */
const InteractiveChart = lazy(() => import("./interactive-chart"));

export function PriceChart({ bars, edge, legacyFrom, entry, timeframe, candles, clock }: {
  bars: ChartBar[];
  edge: (Levels & { t: number }) | null;
  legacyFrom: "orders" | "rule" | "orders-and-rule";
  entry: number | null;
  timeframe: string;
  candles: number;
  clock: "exchange" | "simulator";
}) {
  const zone = useTimeZone();
  const hydrated = useHydrated();
  if (bars.length === 0) return <p className="muted" data-testid="chart-empty">No candles recorded for this symbol yet (the worker records them while a position is open).</p>;
  // The edge row has no candle: the step lines run on to it, so a level known only since the last
  // bar is still a visible segment (one point alone draws nothing).
  const data: ChartRow[] = bars.map((b): ChartRow => ({ t: b.t, legacySl: b.legacySl, legacyTp: b.legacyTp, brainSl: b.brainSl, brainTp: b.brainTp, range: [b.low, b.high], candle: b }));
  if (edge) data.push({ ...edge });
  return (
    <div data-testid="position-chart">
      <p className="muted small" style={{ margin: "0 0 4px" }}>
        {candles.toLocaleString("en")} {timeframe} candles{bars.length < candles ? `, shown as ${bars.length} bars` : ""};{" "}
        {clock === "simulator" ? `simulator time (its replayed clock, faster than the wall clock; decisions and orders placed on it), ${zone}` : `times in ${zone}`}
        {legacyFrom === "rule" ? "; legacy's lines: its rule for this position (it placed no order)" : legacyFrom === "orders-and-rule" ? "; a legacy line with no order recorded: its rule for this position" : ""}
      </p>
      <div className="chart" style={{ height: 320 }}>
        {/* In the server's HTML (first paint) the plain-SVG chart; recharts once hydrated and loaded. */}
        {!hydrated ? <ChartPreview rows={data} entry={entry} /> : (
          <Suspense fallback={<ChartPreview rows={data} entry={entry} />}>
            <InteractiveChart data={data} entry={entry} clock={clock} />
          </Suspense>
        )}
      </div>
    </div>
  );
}
