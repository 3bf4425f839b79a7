"use client";
// A stacked bar chart's box: recharts (its own chunk) is loaded once the page is hydrated, so it is
// not among the scripts run before the first paint; it draws nothing on the server anyway, and the
// box (.chart) keeps its height until the chart is there.
import { lazy, Suspense } from "react";
import type { Pivoted } from "./pivot";
import { useHydrated } from "./use-hydrated";

const StackedBarChart = lazy(() => import("./stacked-bar-chart"));

export function LazyStackedBars({ data, colorOf }: { data: Pivoted; colorOf?: (name: string, i: number) => string }) {
  const hydrated = useHydrated();
  // Until the chart is drawn the box says so, rather than standing empty as if there were no data.
  const waiting = <p className="muted small chart-waiting">Drawing the chart…</p>;
  return (
    <div className="chart">
      {hydrated ? (
        <Suspense fallback={waiting}>
          <StackedBarChart data={data} colorOf={colorOf} />
        </Suspense>
      ) : (
        waiting
      )}
    </div>
  );
}
