"use client";
// A stacked bar chart of pivoted series (the Status page's orders over time, the Shadow page's
// decisions over time), drawn by recharts: loaded in its own chunk after hydration
// (lazy-stacked-bars.tsx).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { colorFor } from "./format";
import type { Pivoted } from "./pivot";

export default function StackedBarChart({ data, colorOf }: { data: Pivoted; colorOf?: (name: string, i: number) => string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data.rows} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="#2d333b" vertical={false} />
        <XAxis dataKey="t" stroke="#8b949e" fontSize={12} minTickGap={16} />
        <YAxis stroke="#8b949e" fontSize={12} allowDecimals={false} />
        <Tooltip contentStyle={{ background: "#182028", border: "1px solid #444c56" }} cursor={{ fill: "#ffffff10" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {data.series.map((s, i) => (
          <Bar key={s} dataKey={s} stackId="a" fill={colorOf ? colorOf(s, i) : colorFor(i)} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
