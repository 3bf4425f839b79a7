"use client";
// The position chart drawn by recharts (tooltip, time axis, legend): loaded after hydration, in its
// own chunk (recharts is 380 KB of script), while the server-drawn preview shows the same rows.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useFmtTime } from "../../../_components/time-zone";
import type { ChartRow } from "./chart-row";

type Row = ChartRow;

interface CandleShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: Row;
}

/** A candle drawn in the [low, high] range bar: wick over the whole range, body open..close. */
function Candle(p: CandleShapeProps) {
  const { x = 0, y = 0, width = 0, height = 0 } = p;
  const payload = p.payload?.candle;
  if (!payload) return null;
  const range = payload.high - payload.low || 1;
  const yOf = (v: number) => y + ((payload.high - v) / range) * height;
  const up = payload.close >= payload.open;
  const top = yOf(Math.max(payload.open, payload.close));
  const body = Math.max(1, yOf(Math.min(payload.open, payload.close)) - top);
  const color = up ? "#3fb950" : "#f85149";
  return (
    <g>
      <line x1={x + width / 2} x2={x + width / 2} y1={y} y2={y + height} stroke={color} />
      <rect x={x + width * 0.15} width={Math.max(1, width * 0.7)} y={top} height={body} fill={color} />
    </g>
  );
}

export default function InteractiveChart({ data, entry, clock }: { data: Row[]; entry: number | null; clock: "exchange" | "simulator" }) {
  const fmt = useFmtTime();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#2d333b" vertical={false} />
        <XAxis dataKey="t" stroke="#8b949e" fontSize={12} minTickGap={40} tickFormatter={(t: number) => fmt(t).slice(11, 16)} />
        <YAxis stroke="#8b949e" fontSize={12} domain={["auto", "auto"]} width={64} />
        <Tooltip contentStyle={{ background: "#182028", border: "1px solid #444c56" }} labelFormatter={(t) => fmt(Number(t), { simulator: clock === "simulator" })} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="range" name="price" shape={<Candle />} isAnimationActive={false} legendType="none" />
        {entry !== null ? <ReferenceLine y={entry} stroke="#d29922" strokeDasharray="4 4" label={{ value: "entry", fill: "#d29922", fontSize: 11, position: "insideTopLeft" }} /> : null}
        <Line type="stepAfter" dataKey="legacySl" name="legacy stop" stroke="#f78166" dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        <Line type="stepAfter" dataKey="legacyTp" name="legacy target" stroke="#f78166" strokeDasharray="5 3" dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="brainSl" name="Exit Brain stop" stroke="#58a6ff" dot={false} strokeWidth={2} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="brainTp" name="Exit Brain target" stroke="#58a6ff" strokeDasharray="5 3" dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
