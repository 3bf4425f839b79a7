// Runs the chosen policies over one candle file with one shared entry list (used by the
// backtest and tune commands).
import { brainPolicy } from "../../core/backtest/brain-policy";
import { legacyPolicy, type LegacyModule } from "../../core/backtest/legacy-policy";
import { runBacktest } from "../../core/backtest/run-backtest";
import type { Entry, FillConfig, PolicyMetrics } from "../../core/backtest/types";
import type { ExitBrainParams } from "../../core/exit-brain/params";
import type { CandleFile } from "../candles/load-candle-file";

export type PolicyChoice = "brain" | "legacy" | "both";

export interface ComparisonOptions {
  readonly policy: PolicyChoice;
  readonly brainParams: ExitBrainParams;
  readonly legacy: LegacyModule;
  readonly cfg: FillConfig;
  readonly onProgress?: (candlesDone: number) => void;
}

export interface FileComparison {
  readonly file: string;
  readonly candles: number;
  readonly entries: number;
  readonly results: PolicyMetrics[];
}

export function runComparison(data: CandleFile, entries: readonly Entry[], o: ComparisonOptions): FileComparison {
  const results: PolicyMetrics[] = [];
  let offset = 0;
  const input = (base: number) => ({
    candles: data.candles,
    entries,
    intervalMs: data.intervalMs,
    cfg: o.cfg,
    onProgress: o.onProgress ? (done: number) => o.onProgress!(base + done) : undefined,
  });
  if (o.policy !== "legacy") {
    results.push(runBacktest(input(offset), brainPolicy(o.brainParams)).metrics);
    offset += data.candles.length;
  }
  if (o.policy !== "brain") results.push(runBacktest(input(offset), legacyPolicy(o.legacy)).metrics);
  return { file: data.name, candles: data.candles.length, entries: entries.length, results };
}
