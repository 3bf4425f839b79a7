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
  return (
    <div className="chart">
      {hydrated ? (
        <Suspense fallback={null}>
          <StackedBarChart data={data} colorOf={colorOf} />
        </Suspense>
      ) : null}
    </div>
  );
}
