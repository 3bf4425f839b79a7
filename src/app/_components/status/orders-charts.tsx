"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../error-box";
import { zoneName } from "../format";
import { bucketLabel, pivot, type Pivoted } from "../pivot";
import { LazyStackedBars } from "../lazy-stacked-bars";
import { useTimeZone } from "../time-zone";

const RANGES = [
  { label: "15 min", minutes: 15 },
  { label: "1 h", minutes: 60 },
  { label: "6 h", minutes: 360 },
  { label: "24 h", minutes: 1440 },
] as const;

function StackedBars({ data, title, testId, colorOf }: { data: Pivoted; title: string; testId: string; colorOf?: (name: string, i: number) => string }) {
  return (
    <div className="card" data-testid={testId}>
      <h2>{title}</h2>
      {data.rows.length === 0 || data.series.length === 0 ? (
        <p className="muted">Nothing in this range.</p>
      ) : (
        <LazyStackedBars data={data} colorOf={colorOf} />
      )}
    </div>
  );
}

/** Orders placed by module and by kind over time, and legacy orders the gateway blocked. */
export function OrdersCharts() {
  const trpc = useTRPC();
  const [minutes, setMinutes] = useState<number>(60);
  const q = useQuery(trpc.orders.overTime.queryOptions({ sinceMinutes: minutes }, { refetchInterval: 2000, placeholderData: keepPreviousData }));
  const d = q.data;
  const zone = useTimeZone();
  // Each bucket's label carries its zone ("18:05 UTC", "03:05 GMT+9"): the axis and the tooltip
  // show it, and a range across a daylight-saving change names both zones.
  const bucket = bucketLabel(d?.bucketSeconds ?? 60, zone);
  const label = (at: Date) => `${bucket(at)} ${zoneName(at, zone)}`;
  const points = d?.points ?? [];
  const byModule = pivot(points, (p) => p.at, (p) => p.module, (p) => p.placed, label);
  const byKind = pivot(points, (p) => p.at, (p) => p.kind, (p) => p.placed, label);
  const blocked = pivot(points, (p) => p.at, (p) => p.module, (p) => p.blockedLegacy, label);
  return (
    <section className="stack" aria-label="Order charts">
      <div className="filters">
        <h2 style={{ margin: 0, flex: "1 1 auto" }}>
          Orders over time <span className="muted small" data-testid="orders-chart-zone">wall clock ({zone})</span>
        </h2>
        <label className="field">
          <span>Range</span>
          <select className="input" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {RANGES.map((r) => (
              <option key={r.minutes} value={r.minutes}>
                last {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={q.error} />
      <div className="grid">
        <StackedBars data={byModule} title="Placed, by module" testId="chart-orders-module" />
        <StackedBars data={byKind} title="Placed, by kind" testId="chart-orders-kind" />
        <StackedBars data={blocked} title="Blocked legacy orders" testId="chart-orders-blocked" colorOf={(_, i) => ["#f85149", "#d29922"][i % 2]!} />
      </div>
    </section>
  );
}
