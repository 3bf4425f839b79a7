// One summary row per figure: printed as a tagged JSON line so bench/run-all.ts can build the
// final table from any benchmark's output without sharing memory with it.
export interface BenchRow {
  bench: string;
  figure: string;
  /** the measured value, formatted with its unit */
  value: string;
  target: string;
  /** what the same run measured as the reference ("-" when there is none) */
  baseline: string;
  /** measured / baseline, formatted ("-" when there is none) */
  ratio: string;
  /** null = no target for this figure (context only) */
  met: boolean | null;
}

export const ROW_TAG = "[BENCH-ROW]";

export function reportRow(row: BenchRow): void {
  console.log(`${ROW_TAG} ${JSON.stringify(row)}`);
}

export function parseRow(line: string): BenchRow | null {
  const i = line.indexOf(ROW_TAG);
  if (i < 0) return null;
  try {
    return JSON.parse(line.slice(i + ROW_TAG.length)) as BenchRow;
  } catch {
    return null;
  }
}

export const ms = (v: number): string => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
export const perSec = (v: number): string => `${Math.round(v).toLocaleString("en-US")}/s`;
export const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(a / b < 10 ? 2 : 0)}x` : "-");
