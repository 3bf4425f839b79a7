// The final table (markdown) and the machine it ran on, for the console and bench/results/.
import os from "node:os";
import type { BenchRow } from "./report";

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAvg1m: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvg1m: Math.round(os.loadavg()[0]! * 100) / 100,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function machineLine(m: Machine): string {
  return `${m.date} · ${m.cpus} × ${m.cpuModel} · ${m.memoryGiB} GiB RAM · load ${m.loadAvg1m} at start · Node ${m.node} · ${m.platform}`;
}

export function markdownTable(rows: BenchRow[]): string {
  const cell = (s: string) => s.replaceAll("|", "\\|");
  const met = (m: boolean | null) => (m === null ? "–" : m ? "yes" : "**NO**");
  const lines = ["| bench | figure | value | target | baseline (same run) | ratio | met |", "|---|---|---|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${cell(r.bench)} | ${cell(r.figure)} | ${cell(r.value)} | ${cell(r.target)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${met(r.met)} |`);
  return lines.join("\n");
}
