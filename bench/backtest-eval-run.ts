// Runs the evaluation of bench/backtest-eval.ts and renders its report (see that file).
import { readFileSync } from "node:fs";
import { CostModelSchema, type CostModel } from "../src/core/backtest/cost-model";
import { comparePolicies, type Comparison } from "../src/core/backtest/compare";
import { COMPARISON_HEAD, comparisonRow, comparisonTable, CONTROL_HEAD, controlLine, figuresTable, randomWalkControl, type ControlOutcome } from "../src/core/backtest/eval-report";
import { anyPolicy, runPart, type AnyPathPolicy, type EvalConfig, type PartRun } from "../src/core/backtest/evaluation";
import { brainPathPolicy, bracketPolicy } from "../src/core/backtest/path-policies";
import { parseExitBrainParams } from "../src/core/exit-brain/params";
import { deployedLegacy, MAX_STEP_PCT, loadTuned, partsOf, walkParts, WARMUP, type DataSet } from "./backtest-eval-setup";

export interface EvalRequest {
  set: DataSet;
  seeds: number[];
  entries: number;
  walks: number;
  paramsFile: string | null;
  cost: CostModel;
  /** also run the live-parity variants (takeover from legacy's orders, forming-candle ATR) */
  parity: boolean;
}

export function costModelFromArgs(args: readonly string[]): CostModel {
  const i = args.indexOf("--taker-fee-pct");
  return CostModelSchema.parse(i >= 0 ? { takerFeePct: Number(args[i + 1]) } : {});
}

export const BRAIN = "brain";
export const LEGACY_TUNED = "legacy tuned (fixed %)";
export const LEGACY_ATR = "legacy tuned (ATR)";
export const LEGACY_DEPLOYED = "legacy deployed";
export const BRAIN_TAKEOVER = "brain, takeover from legacy";
export const BRAIN_FORMING = "brain, forming-candle ATR";

function modelCheck(policies: Readonly<Record<string, AnyPathPolicy>>, cfg: EvalConfig): { name: string; finer: Comparison; model: Comparison } {
  const base = partsOf("test").find((p) => p.name === "BTCUSDT-5m-nfi.csv");
  const fine = base?.finer;
  if (!base || !fine || fine.candles.length === 0) throw new Error("model check: BTCUSDT-5m-nfi.csv and its 1m file are needed");
  const from = fine.candles[0]!.openTime;
  const to = fine.candles[fine.candles.length - 1]!.openTime;
  const candles = base.candles.filter((c) => c.openTime >= from && c.openTime + base.intervalMs <= to);
  const name = `BTCUSDT-5m-nfi.csv, ${new Date(from).toISOString().slice(0, 10)} to ${new Date(to).toISOString().slice(0, 10)} (${candles.length} candles)`;
  const withFiner = runPart({ name, candles, intervalMs: base.intervalMs, finer: fine }, policies, cfg);
  const modelOnly = runPart({ name, candles, intervalMs: base.intervalMs }, policies, cfg);
  return { name: `${name}, ${withFiner.finerBars} of them tiled by 1m candles`, finer: comparePolicies([withFiner], BRAIN, LEGACY_TUNED), model: comparePolicies([modelOnly], BRAIN, LEGACY_TUNED) };
}

export function runEvaluation(req: EvalRequest): { markdown: string; failed: boolean; ms: number } {
  const t0 = performance.now();
  const tuned = loadTuned();
  const params = parseExitBrainParams(req.paramsFile ? JSON.parse(readFileSync(req.paramsFile, "utf8")) : {});
  const baseline = tuned?.legacyPct ?? { ...deployedLegacy, name: "legacy (untuned: no bench/backtest-tuned.json)" };
  const policies: Record<string, AnyPathPolicy> = {
    [BRAIN]: anyPolicy(brainPathPolicy(params)),
    [LEGACY_TUNED]: anyPolicy(bracketPolicy(baseline)),
    ...(tuned ? { [LEGACY_ATR]: anyPolicy(bracketPolicy(tuned.legacyAtr)) } : {}),
    [LEGACY_DEPLOYED]: anyPolicy(bracketPolicy(deployedLegacy)),
    ...(req.parity
      ? { [BRAIN_TAKEOVER]: anyPolicy(brainPathPolicy(params, { takeover: deployedLegacy })), [BRAIN_FORMING]: anyPolicy(brainPathPolicy(params, { atr: "forming" })) }
      : {}),
  };
  const cfg: EvalConfig = { seeds: req.seeds, entriesPerSeed: req.entries, cost: req.cost, maxStepPct: MAX_STEP_PCT, warmup: WARMUP, atr: "closed" };
  const runs: PartRun[] = partsOf(req.set).map((p) => runPart(p, policies, cfg));
  const tReal = performance.now() - t0;
  const controlPolicies = { [BRAIN]: policies[BRAIN]!, [LEGACY_TUNED]: policies[LEGACY_TUNED]! };
  const controls: ControlOutcome[] = (["gaussian", "fat-tailed"] as const).map((kind) => {
    const walkRuns = walkParts(kind, req.walks).map((p) => runPart(p, controlPolicies, cfg));
    return randomWalkControl(`${kind} (${req.walks} walks × 20,000 5m candles)`, walkRuns, BRAIN, LEGACY_TUNED);
  });
  // Path-model check on real data: the month where 1m candles path BTCUSDT-5m-nfi, once through
  // them and once by the OHLC model alone (same entries): how far the model moves the verdict.
  const check = modelCheck(controlPolicies, cfg);
  const ms = performance.now() - t0;
  const failed = controls.some((c) => c.failed);
  const keys = Object.keys(policies);
  const finer = runs.filter((r) => r.finerBars > 0).map((r) => `${r.name}: ${r.finerBars} of ${r.candles} candles pathed by finer candles`);
  const md = [
    `# Evaluation: set=${req.set}, seeds ${req.seeds[0]}..${req.seeds[req.seeds.length - 1]} (${req.seeds.length}), ${req.entries} random entries per seed and part`,
    "",
    `Brain parameters: ${req.paramsFile ?? "defaults (src/core/exit-brain/params.ts)"}. Baseline: ${baseline.name} = ${JSON.stringify({ unit: baseline.unit, stop: baseline.stop, levels: baseline.levels })}.`,
    `Costs: taker ${req.cost.takerFeePct}% per fill, slippage ${req.cost.slipBasePct}% + ${req.cost.slipRangeFrac} × candle range, funding ${req.cost.fundingRatePct}% per 8 h${req.cost.fundingSeries.length > 0 ? " (series)" : " (constant)"}, leverage ${req.cost.leverage}. Path model: open → nearer extreme → farther extreme → close, steps of at most ${MAX_STEP_PCT}% of price, a fill at the first point at or past a trigger (finer candles where they exist).`,
    finer.length > 0 ? `Finer candles: ${finer.join("; ")}.` : "",
    "",
    "## Random-walk controls (zero cost; a significant difference here means the evaluator is biased)",
    "",
    CONTROL_HEAD,
    ...controls.map(controlLine),
    "",
    failed ? "**This report FAILS: a random-walk control shows a significant difference.**" : "Both random-walk controls pass.",
    "",
    `## ${BRAIN} (A) vs ${LEGACY_TUNED} (B): the judged comparison`,
    "",
    "Differences are A − B per entry, in basis points of notional (net: fees, slippage, funding), or in R (each trade's return ÷ its own initial stop distance: the two policies sized to equal risk). CI and p: paired t-test with UTC days as the units; bootstrap: days resampled.",
    "",
    comparisonTable(runs, BRAIN, LEGACY_TUNED),
    "",
    "## Path-model check on real candles",
    "",
    `${check.name}: the same entries with the 5m candles pathed through the 1m candles, and by the OHLC model alone. The difference between the two rows is what the model (instead of finer data) does to the verdict.`,
    "",
    COMPARISON_HEAD,
    comparisonRow("pathed by 1m candles", check.finer),
    comparisonRow("OHLC model only", check.model),
    "",
    "## Other comparisons (all parts pooled)",
    "",
    COMPARISON_HEAD,
    ...(tuned ? [comparisonRow(`${BRAIN} vs ${LEGACY_ATR}`, comparePolicies(runs, BRAIN, LEGACY_ATR))] : []),
    comparisonRow(`${BRAIN} vs ${LEGACY_DEPLOYED}`, comparePolicies(runs, BRAIN, LEGACY_DEPLOYED)),
    ...(req.parity
      ? [
          comparisonRow(`${BRAIN_TAKEOVER} vs ${LEGACY_DEPLOYED}`, comparePolicies(runs, BRAIN_TAKEOVER, LEGACY_DEPLOYED)),
          comparisonRow(`${BRAIN_TAKEOVER} vs ${BRAIN}`, comparePolicies(runs, BRAIN_TAKEOVER, BRAIN)),
          comparisonRow(`${BRAIN_FORMING} vs ${BRAIN}`, comparePolicies(runs, BRAIN_FORMING, BRAIN)),
        ]
      : []),
    "",
    "## Each policy's own figures (all parts pooled)",
    "",
    figuresTable(runs, keys, req.cost.stakeFraction),
    "",
    ...runs.flatMap((r) => [`### ${r.name}`, "", figuresTable([r], keys, req.cost.stakeFraction), ""]),
    `Run time: ${(ms / 1000).toFixed(1)} s (real parts ${(tReal / 1000).toFixed(1)} s, controls ${((ms - tReal) / 1000).toFixed(1)} s).`,
  ].join("\n");
  return { markdown: md, failed, ms };
}
