"use client";
// Candles with the entry and, over time, legacy's stop and take-profit and Exit Brain's (the level in
// force at each bar). Bars are folded server-side (at most a few hundred), so this stays light.
import { useSyncExternalStore } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useFmtTime, useTimeZone } from "../../../_components/time-zone";
import { ChartPreview } from "./chart-preview";

export interface Levels {
  legacySl: number | null;
  legacyTp: number | null;
  brainSl: number | null;
  brainTp: number | null;
}

export interface ChartBar extends Levels {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** One row of the chart: a candle, or the right edge ("now", no candle) the levels run on to. */
export type ChartRow = Levels & { t: number; range?: [number, number]; candle?: ChartBar };
type Row = ChartRow;

const noSubscription = () => () => {};
/** False in the server's render and while hydrating, true after: recharts can draw only then. */
function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

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

export function PriceChart({ bars, edge, legacyFrom, entry, timeframe, candles, clock }: {
  bars: ChartBar[];
  edge: (Levels & { t: number }) | null;
  legacyFrom: "orders" | "rule" | "orders-and-rule";
  entry: number | null;
  timeframe: string;
  candles: number;
  clock: "exchange" | "simulator";
}) {
  const fmt = useFmtTime();
  const zone = useTimeZone();
  const hydrated = useHydrated();
  if (bars.length === 0) return <p className="muted" data-testid="chart-empty">No candles recorded for this symbol yet (the worker records them while a position is open).</p>;
  // The edge row has no candle: the step lines run on to it, so a level known only since the last
  // bar is still a visible segment (one point alone draws nothing).
  const data: Row[] = bars.map((b): Row => ({ t: b.t, legacySl: b.legacySl, legacyTp: b.legacyTp, brainSl: b.brainSl, brainTp: b.brainTp, range: [b.low, b.high], candle: b }));
  if (edge) data.push({ ...edge });
  return (
    <div data-testid="position-chart">
      <p className="muted small" style={{ margin: "0 0 4px" }}>
        {candles.toLocaleString("en")} {timeframe} candles{bars.length < candles ? `, shown as ${bars.length} bars` : ""};{" "}
        {clock === "simulator" ? `simulator time (its replayed clock, faster than the wall clock; decisions and orders placed on it), ${zone}` : `times in ${zone}`}
        {legacyFrom === "rule" ? "; legacy's lines: its rule for this position (it placed no order)" : legacyFrom === "orders-and-rule" ? "; a legacy line with no order recorded: its rule for this position" : ""}
      </p>
      <div className="chart" style={{ height: 320 }}>
        {/* In the server's HTML (first paint) the plain-SVG chart; recharts once hydrated. */}
        {!hydrated ? <ChartPreview rows={data} entry={entry} /> : (
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
        )}
      </div>
    </div>
  );
}
