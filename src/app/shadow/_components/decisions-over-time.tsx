"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DECISION_COLORS } from "../../_components/format";
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
        <div className="chart">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={p.rows} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="#2d333b" vertical={false} />
              <XAxis dataKey="t" stroke="#8b949e" fontSize={12} minTickGap={16} />
              <YAxis stroke="#8b949e" fontSize={12} allowDecimals={false} />
              <Tooltip contentStyle={{ background: "#182028", border: "1px solid #444c56" }} cursor={{ fill: "#ffffff10" }} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {p.series.map((s) => (
                <Bar key={s} dataKey={s} stackId="a" fill={DECISION_COLORS[s] ?? "#58a6ff"} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <RetentionNote retention={data.retention} />
    </section>
  );
}
