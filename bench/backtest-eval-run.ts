// Runs the evaluation of bench/backtest-eval.ts and renders its report (see that file).
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { CostModelSchema, type CostModel } from "../src/core/backtest/cost-model";
import { comparePolicies } from "../src/core/backtest/compare";
import { COMPARISON_HEAD, comparisonRow, comparisonTable, CONTROL_HEAD, controlLine, figuresTable, randomWalkControl, type ControlOutcome } from "../src/core/backtest/eval-report";
import { anyPolicy, runPart, type AnyPathPolicy, type EvalConfig, type EvalPart, type PartRun } from "../src/core/backtest/evaluation";
import { brainPathPolicy, bracketPolicy, type BracketSpec } from "../src/core/backtest/path-policies";
import type { WalkKind } from "../src/core/backtest/random-walk";
import { parseExitBrainParams, type ExitBrainParams } from "../src/core/exit-brain/params";
import { deployedLegacy, MAX_STEP_PCT, loadTuned, part, partAt, partCount, walkPart, WARMUP, type DataSet, type Tuned } from "./backtest-eval-setup";

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

/** One unit of work: a file part, a random walk, or one side of the path-model check. */
export type EvalJob = { kind: "part"; index: number } | { kind: "walk"; walk: WalkKind; index: number } | { kind: "check"; finer: boolean };

interface Setup {
  params: ExitBrainParams;
  baseline: BracketSpec;
  tuned: Tuned | null;
  policies: Record<string, AnyPathPolicy>;
  controlPolicies: Record<string, AnyPathPolicy>;
  cfg: EvalConfig;
}

function setup(req: EvalRequest): Setup {
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
  const controlPolicies = { [BRAIN]: policies[BRAIN]!, [LEGACY_TUNED]: policies[LEGACY_TUNED]! };
  const cfg: EvalConfig = { seeds: req.seeds, entriesPerSeed: req.entries, cost: req.cost, maxStepPct: MAX_STEP_PCT, warmup: WARMUP, atr: "closed" };
  return { params, baseline, tuned, policies, controlPolicies, cfg };
}

/** The month where 1m candles path BTCUSDT-5m-nfi: with them, or by the OHLC model alone. */
function checkPart(finer: boolean): EvalPart {
  const base = part("BTCUSDT-5m-nfi.csv.gz", 0, 1);
  const fine = base.finer;
  if (!fine || fine.candles.length === 0) throw new Error("model check: BTCUSDT-5m-nfi.csv.gz and its 1m file are needed");
  const from = fine.candles[0]!.openTime;
  const to = fine.candles[fine.candles.length - 1]!.openTime;
  const candles = base.candles.filter((c) => c.openTime >= from && c.openTime + base.intervalMs <= to);
  const name = `BTCUSDT-5m-nfi.csv.gz, ${new Date(from).toISOString().slice(0, 10)} to ${new Date(to).toISOString().slice(0, 10)} (${candles.length} candles)`;
  return { name, candles, intervalMs: base.intervalMs, ...(finer ? { finer: fine } : {}) };
}

/** Runs one job in this thread (the worker threads call this too). */
export function runJob(job: EvalJob, req: EvalRequest): PartRun {
  const s = setup(req);
  if (job.kind === "part") return runPart(partAt(req.set, job.index), s.policies, s.cfg);
  if (job.kind === "walk") return runPart(walkPart(job.walk, job.index), s.controlPolicies, s.cfg);
  return runPart(checkPart(job.finer), s.controlPolicies, s.cfg);
}

/** Jobs over `threads` worker threads (1 = in this thread), results in job order. */
async function runJobs(jobs: readonly EvalJob[], req: EvalRequest, threads: number): Promise<PartRun[]> {
  if (threads <= 1) return jobs.map((j) => runJob(j, req));
  const out: PartRun[] = new Array<PartRun>(jobs.length);
  let next = 0;
  const boot = new URL("./backtest-eval-boot.mjs", import.meta.url);
  const file = new URL("./backtest-eval-worker.ts", import.meta.url).href;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = new Worker(boot, { workerData: { file, req } });
      const feed = (): void => {
        if (next >= jobs.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        const k = next++;
        w.once("message", (r: PartRun) => {
          out[k] = r;
          feed();
        });
        w.postMessage(jobs[k]);
      };
      w.once("error", reject);
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, one));
  return out;
}

export async function runEvaluation(req: EvalRequest, threads = Math.min(2, availableParallelism())): Promise<{ markdown: string; failed: boolean; ms: number }> {
  const t0 = performance.now();
  const { baseline, tuned, policies } = setup(req);
  const nParts = partCount(req.set);
  const walkJobs = (walk: WalkKind): EvalJob[] => Array.from({ length: req.walks }, (_, index) => ({ kind: "walk" as const, walk, index }));
  // The most expensive part first (the 1m fitting file), so the threads finish together.
  const partJobs: EvalJob[] = Array.from({ length: nParts }, (_, index) => ({ kind: "part" as const, index }));
  const jobs: EvalJob[] = [...partJobs.slice(1, 2), ...partJobs.slice(0, 1), ...partJobs.slice(2), ...walkJobs("gaussian"), ...walkJobs("fat-tailed"), { kind: "check", finer: true }, { kind: "check", finer: false }];
  const results = await runJobs(jobs, req, threads);
  const byJob = (pred: (j: EvalJob) => boolean): PartRun[] => results.filter((_, i) => pred(jobs[i]!));
  const runs = partJobs.map((pj) => results[jobs.findIndex((j) => j.kind === "part" && pj.kind === "part" && j.index === pj.index)]!);
  const controls: ControlOutcome[] = (["gaussian", "fat-tailed"] as const).map((kind) =>
    randomWalkControl(`${kind} (${req.walks} walks × 20,000 5m candles)`, byJob((j) => j.kind === "walk" && j.walk === kind), BRAIN, LEGACY_TUNED),
  );
  const [finerRun, modelRun] = [byJob((j) => j.kind === "check" && j.finer)[0]!, byJob((j) => j.kind === "check" && !j.finer)[0]!];
  const check = {
    name: `${finerRun.name}, ${finerRun.finerBars} of them tiled by 1m candles`,
    finer: comparePolicies([finerRun], BRAIN, LEGACY_TUNED),
    model: comparePolicies([modelRun], BRAIN, LEGACY_TUNED),
  };
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
    `## ${BRAIN} (A) vs ${LEGACY_DEPLOYED} (B): what the product runs today`,
    "",
    comparisonTable(runs, BRAIN, LEGACY_DEPLOYED),
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
    `Run time: ${(ms / 1000).toFixed(1)} s on ${threads} thread${threads === 1 ? "" : "s"}.`,
  ].join("\n");
  return { markdown: md, failed, ms };
}
