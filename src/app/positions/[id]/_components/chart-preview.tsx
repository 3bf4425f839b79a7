// The position chart as plain SVG, for the server's HTML: recharts 3 renders no SVG on the server
// (its chart draws from a store filled in the browser; recharts issue #5997) and its
// ResponsiveContainer must measure its box first, so without this the chart appeared only after
// hydration. This draws the same rows the recharts chart gets (candles, entry, the four step lines
// running on to the right edge) in a plot whose width follows CSS (viewBox stretched, strokes
// kept at their width), with the price scale beside it; PriceChart swaps in recharts (tooltip,
// time axis, legend) once hydrated.
import type { ChartRow } from "./chart-row";

const PLOT_HEIGHT = 280;
/** Horizontal units per row in the viewBox (stretched to the plot's CSS width). */
const STEP = 10;
const LEVELS = [
  { key: "legacySl", stroke: "#f78166", width: 2, dash: undefined },
  { key: "legacyTp", stroke: "#f78166", width: 1, dash: "5 3" },
  { key: "brainSl", stroke: "#58a6ff", width: 2, dash: undefined },
  { key: "brainTp", stroke: "#58a6ff", width: 1, dash: "5 3" },
] as const;

/** An SVG path of one level as a step line (stepAfter at the rows' centres), broken where it is null. */
function stepPath(rows: ChartRow[], key: (typeof LEVELS)[number]["key"], y: (v: number) => number): string {
  let d = "";
  let open = false;
  rows.forEach((r, i) => {
    const v = r[key];
    const x = i * STEP + STEP / 2;
    if (v === null) {
      open = false;
      return;
    }
    d += open ? ` H${x} V${y(v).toFixed(1)}` : ` M${x} ${y(v).toFixed(1)}`;
    open = true;
  });
  return d.trim();
}

export function ChartPreview({ rows, entry }: { rows: ChartRow[]; entry: number | null }) {
  const values: number[] = [];
  for (const r of rows) {
    if (r.candle) values.push(r.candle.low, r.candle.high);
    for (const l of LEVELS) if (r[l.key] !== null) values.push(r[l.key] as number);
  }
  if (entry !== null) values.push(entry);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.04 || Math.abs(hi) * 0.01 || 1;
  const [min, max] = [lo - pad, hi + pad];
  const y = (v: number) => ((max - v) / (max - min)) * PLOT_HEIGHT;
  const ticks = Array.from({ length: 5 }, (_, i) => min + ((max - min) * (i + 0.5)) / 5);
  const width = rows.length * STEP;
  return (
    <div style={{ display: "flex", height: "100%", paddingTop: 4 }} data-testid="chart-preview">
      <svg width={64} height={PLOT_HEIGHT} aria-hidden="true" style={{ flex: "none" }}>
        {ticks.map((t) => (
          // the price scale carries the chart's paint time for bench/cockpit-pages (Element Timing)
          <text key={t} x={58} y={y(t) + 4} textAnchor="end" fill="#8b949e" fontSize={12} elementtiming="position-chart">
            {t.toFixed(t >= 100 ? 0 : 2)}
          </text>
        ))}
      </svg>
      <svg role="img" aria-label="price chart" viewBox={`0 0 ${width} ${PLOT_HEIGHT}`} preserveAspectRatio="none" height={PLOT_HEIGHT} style={{ flex: "1 1 0", minWidth: 0, marginRight: 8 }}>
        {ticks.map((t) => <line key={t} x1={0} x2={width} y1={y(t)} y2={y(t)} stroke="#2d333b" vectorEffect="non-scaling-stroke" />)}
        {rows.map((r, i) => {
          const c = r.candle;
          if (!c) return null;
          const color = c.close >= c.open ? "#3fb950" : "#f85149";
          const top = y(Math.max(c.open, c.close));
          return (
            <g key={i}>
              <line x1={i * STEP + STEP / 2} x2={i * STEP + STEP / 2} y1={y(c.high)} y2={y(c.low)} stroke={color} vectorEffect="non-scaling-stroke" />
              <rect x={i * STEP + STEP * 0.15} width={STEP * 0.7} y={top} height={Math.max(1, y(Math.min(c.open, c.close)) - top)} fill={color} />
            </g>
          );
        })}
        {entry !== null ? <line x1={0} x2={width} y1={y(entry)} y2={y(entry)} stroke="#d29922" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" /> : null}
        {LEVELS.map((l) => (
          <path key={l.key} d={stepPath(rows, l.key, y)} fill="none" stroke={l.stroke} strokeWidth={l.width} strokeDasharray={l.dash} vectorEffect="non-scaling-stroke" />
        ))}
      </svg>
    </div>
  );
}
