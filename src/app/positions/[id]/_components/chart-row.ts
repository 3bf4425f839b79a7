// The position chart's rows: a candle folded server-side with the levels in force at that bar, or
// the right edge ("now", no candle) the levels run on to. Shared by the server-drawn preview and the
// interactive chart.
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
