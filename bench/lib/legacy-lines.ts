// Summary rows for benchmarks that print `[BENCH] name: <value> (target <t>): MET|MISSED` rather
// than [BENCH-ROW] lines (exit-brain-throughput, backtest), with their ratio/baseline lines.
import type { BenchRow } from "./report";

const VERDICT = /\[BENCH\] ([\w-]+): (.+?) \(target ([^)]+)\): (MET|MISSED)/;

export function rowsFromBenchLines(bench: string, out: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const line of out.split("\n")) {
    const m = VERDICT.exec(line);
    if (!m) continue;
    const [, name, value, target, verdict] = m;
    rows.push({ bench, figure: name ?? bench, value: value ?? "?", target: target ?? "?", baseline: baselineOf(bench, out), ratio: ratioOf(bench, out), met: verdict === "MET" });
  }
  return rows;
}

function baselineOf(bench: string, out: string): string {
  if (bench === "exit-brain-throughput") {
    const m = /baseline: legacy hybridTpslOrders\s+([\d,]+) evals\/s/.exec(out);
    return m ? `legacy rule ${m[1]}/s` : "-";
  }
  if (bench === "backtest") {
    const m = /run 2 \(sorted\):.*market-only floor (\d+) ms/.exec(out);
    return m ? `market-only floor ${m[1]} ms` : "-";
  }
  return "-";
}

function ratioOf(bench: string, out: string): string {
  if (bench === "exit-brain-throughput") return /ratio exit brain \/ legacy rule: ([\d.]+x)/.exec(out)?.[1] ?? "-";
  if (bench === "backtest") return /ratio both policies \/ market-only floor: ([\d.]+x)/.exec(out)?.[1] ?? "-";
  return "-";
}
