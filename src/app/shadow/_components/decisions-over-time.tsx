"use client";
import { DECISION_COLORS } from "../../_components/format";
import { LazyStackedBars } from "../../_components/lazy-stacked-bars";
import { bucketLabel, pivot } from "../../_components/pivot";
import { RetentionNote, type ChartRetention } from "./retention-note";
import { useTimeZone } from "../../_components/time-zone";

export function DecisionsOverTime({ data }: { data: { bucketSeconds: number; points: { at: Date; decisionType: string; count: number }[]; retention?: ChartRetention | null } }) {
  const zone = useTimeZone();
  const p = pivot(data.points, (x) => x.at, (x) => x.decisionType, (x) => x.count, bucketLabel(data.bucketSeconds, zone));
  const width = data.bucketSeconds >= 3600 ? `${data.bucketSeconds / 3600} h` : data.bucketSeconds >= 60 ? `${data.bucketSeconds / 60} min` : `${data.bucketSeconds} s`;
  return (
    <section className="card" data-testid="chart-over-time">
      <h2>
        Decisions over time <span className="muted small">per {width}, wall clock ({zone})</span>
      </h2>
      {p.rows.length === 0 ? (
        <p className="muted">No decisions in this range.</p>
      ) : (
        <LazyStackedBars data={p} colorOf={(s) => DECISION_COLORS[s] ?? "#58a6ff"} />
      )}
      <RetentionNote retention={data.retention} />
    </section>
  );
}
