// `exit-brain backtest` on the path evaluator (the default engine): Exit Brain and the chosen
// legacy module on the same entries of one candle file, filled from the intrabar path, with the
// paired comparison (net, risk-matched, zero cost) and each policy's own figures.
import { comparePolicies, policyFigures, type Comparison, type PolicyFigures } from "../../core/backtest/compare";
import type { CostModel } from "../../core/backtest/cost-model";
import { COMPARISON_HEAD, comparisonRow, figuresTable } from "../../core/backtest/eval-report";
import type { PartRun } from "../../core/backtest/evaluation";
import type { LegacyModule } from "../../core/backtest/legacy-policy";
import { runPathBacktest } from "../../core/backtest/path-engine";
import { brainPathPolicy, bracketFromHybrid, bracketPolicy, type BracketSpec } from "../../core/backtest/path-policies";
import { buildPricePath } from "../../core/backtest/price-path";
import { candleLogVol, regimeAt } from "../../core/backtest/regime";
import type { Entry } from "../../core/backtest/types";
import type { ExitBrainParams } from "../../core/exit-brain/params";
import type { CandleFile } from "../candles/load-candle-file";

/** The same path model as the evaluation (docs/backtest-protocol.md). */
export const CLI_MAX_STEP_PCT = 0.025;
const DAY_MS = 86_400_000;

export function bracketOf(legacy: LegacyModule): BracketSpec {
  return legacy.module === "hybrid_tpsl"
    ? bracketFromHybrid("legacy", legacy.params)
    : { name: "legacy", unit: "pct", stop: legacy.params.stopLossPct, levels: [{ dist: legacy.params.takeProfitPct, fraction: 1 }] };
}

export interface PathComparison {
  readonly file: string;
  readonly candles: number;
  readonly entries: number;
  readonly comparison: Comparison;
  readonly brain: PolicyFigures;
  readonly legacy: PolicyFigures;
  readonly markdown: string;
}

export function runPathComparison(data: CandleFile, entries: readonly Entry[], seed: number, brainParams: ExitBrainParams, legacy: LegacyModule, cost: CostModel): PathComparison {
  const path = buildPricePath(data.candles, data.intervalMs, CLI_MAX_STEP_PCT);
  const input = { candles: data.candles, path, entries, intervalMs: data.intervalMs, cost };
  const brain = runPathBacktest(input, brainPathPolicy(brainParams));
  const leg = runPathBacktest(input, bracketPolicy(bracketOf(legacy)));
  const sigma = candleLogVol(data.candles);
  const run: PartRun = {
    name: data.name,
    candles: data.candles.length,
    finerBars: 0,
    entries: brain.map((r) => ({ seed, bar: r.entryBar, time: r.entryTime, regime: regimeAt(data.candles, r.entryBar, data.intervalMs, sigma), block: Math.floor(r.entryTime / DAY_MS) })),
    results: { brain, legacy: leg },
  };
  const comparison = comparePolicies([run], "brain", "legacy");
  const markdown = [COMPARISON_HEAD, comparisonRow(`${data.name}: brain − legacy`, comparison), "", figuresTable([run], ["brain", "legacy"], cost.stakeFraction)].join("\n");
  return {
    file: data.name,
    candles: data.candles.length,
    entries: brain.length,
    comparison,
    brain: policyFigures([run], "brain", cost.stakeFraction),
    legacy: policyFigures([run], "legacy", cost.stakeFraction),
    markdown,
  };
}
