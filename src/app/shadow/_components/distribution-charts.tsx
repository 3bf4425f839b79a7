"use client";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DECISION_COLORS } from "../../_components/format";

interface Row {
  decisionType: string;
  count: number;
  share: number;
  avgConfidence: number;
}

function TypeBars({ rows, dataKey, domain, format }: { rows: Row[]; dataKey: "count" | "avgConfidence"; domain?: [number, number]; format: (v: number) => string }) {
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#2d333b" horizontal={false} />
          <XAxis type="number" stroke="#8b949e" fontSize={12} domain={domain} allowDecimals={dataKey === "avgConfidence"} tickFormatter={format} />
          <YAxis type="category" dataKey="decisionType" stroke="#8b949e" fontSize={12} width={96} />
          <Tooltip contentStyle={{ background: "#182028", border: "1px solid #444c56" }} cursor={{ fill: "#ffffff10" }} formatter={(v) => format(Number(v))} />
          <Bar dataKey={dataKey} isAnimationActive={false} label={{ position: "right", fill: "#e6e9ec", fontSize: 12, formatter: (v: unknown) => format(Number(v)) }}>
            {rows.map((r) => (
              <Cell key={r.decisionType} fill={DECISION_COLORS[r.decisionType] ?? "#58a6ff"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** value_counts() and groupby(...).mean() of the runbook, as two bar charts. */
export function DistributionCharts({ total, rows }: { total: number; rows: Row[] }) {
  return (
    <div className="grid">
      <section className="card" data-testid="chart-distribution">
        <h2>
          Decision types <span className="muted small">{total} decisions</span>
        </h2>
        {rows.length ? <TypeBars rows={rows} dataKey="count" format={(v) => String(Math.round(v))} /> : <p className="muted">No decisions in this range.</p>}
      </section>
      <section className="card" data-testid="chart-confidence">
        <h2>Average confidence by type</h2>
        {rows.length ? <TypeBars rows={rows} dataKey="avgConfidence" domain={[0, 1]} format={(v) => v.toFixed(2)} /> : <p className="muted">No decisions in this range.</p>}
      </section>
    </div>
  );
}
