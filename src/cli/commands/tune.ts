// `exit-brain tune`: walk-forward fit of the Exit Brain parameters. Each file is split in
// time; a seeded random search scores parameter sets on the first part only (Sharpe and max
// drawdown vs the legacy exits), then the winner, the defaults and legacy are
// reported on the held-out rest, which the search never saw.
import { writeFileSync } from "node:fs";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { z } from "zod";
import { brainPolicy } from "../../core/backtest/brain-policy";
import { randomEntries } from "../../core/backtest/entries";
import { legacyPolicy } from "../../core/backtest/legacy-policy";
import { sampleBrainParams } from "../../core/backtest/param-space";
import { runBacktest } from "../../core/backtest/run-backtest";
import type { Entry, FillConfig, PolicyMetrics } from "../../core/backtest/types";
import { defaultExitBrainParams, type ExitBrainParams } from "../../core/exit-brain/params";
import { createPrng } from "../../core/backtest/prng";
import { CliInputError, loadCandleFile, sliceCandles, type CandleFile } from "../candles/load-candle-file";
import { formatTable, METRIC_HEADERS, metricsRow } from "./backtest-format";
import { addFillFlags, brainParamsFrom, COMMON_DEFAULTS, CommonFlagsSchema, fillConfigFrom, flagError, legacyFrom, num } from "./backtest-options";

const FlagsSchema = CommonFlagsSchema.extend({
  fitFraction: num("--fit-fraction").pipe(z.number().min(0.2, "--fit-fraction must be in [0.2, 0.9]").max(0.9, "--fit-fraction must be in [0.2, 0.9]")),
  trials: num("--trials").pipe(z.number().int().min(1, "--trials must be 1..5000").max(5000, "--trials must be 1..5000")),
  entries: num("--entries").pipe(z.number().int().min(10, "--entries must be 10..100000").max(100_000, "--entries must be 10..100000")),
  entrySets: num("--entry-sets").pipe(z.number().int().min(1, "--entry-sets must be 1..20").max(20, "--entry-sets must be 1..20")),
  out: z.string().optional(),
});

/** Largest ATR period in the search space + 1: same entries for every trial. */
const WARMUP = 51;

interface Part {
  readonly data: CandleFile;
  readonly entries: Entry[];
}

function run(p: Part, policy: Parameters<typeof runBacktest>[1], cfg: FillConfig): PolicyMetrics {
  return runBacktest({ candles: p.data.candles, entries: p.entries, intervalMs: p.data.intervalMs, cfg }, policy).metrics;
}

/** `sets` independent seeded entry lists for one part (seed, seed + 1000, ...): fitting on several keeps the search from fitting one draw. */
function partsFor(data: CandleFile, n: number, seed: number, sets: number): Part[] {
  return Array.from({ length: sets }, (_, k) => ({ data, entries: randomEntries(n, data.candles.length, seed + 1000 * k, WARMUP) }));
}

/**
 * Mean over files of min(Sharpe gain vs legacy, 0.1 x relative drawdown reduction): a file
 * only scores well when Exit Brain wins on both, which is the bar the backtest must clear.
 */
export function tuneScore(brain: readonly PolicyMetrics[], legacy: readonly PolicyMetrics[]): number {
  let s = 0;
  for (let i = 0; i < brain.length; i++) {
    const b = brain[i]!;
    const l = legacy[i]!;
    s += Math.min(b.sharpe - l.sharpe, (0.1 * (l.maxDrawdown - b.maxDrawdown)) / Math.max(l.maxDrawdown, 1e-9));
  }
  return s / brain.length;
}

export function register(program: Command): void {
  addFillFlags(program.command("tune"))
    .description("Fit Exit Brain parameters on the first part of each file (random search) and report on the held-out rest (walk-forward).")
    .requiredOption("--candles <files...>", "candle CSV files, plain or .csv.gz")
    .option("--fit-fraction <f>", "share of each file (from its start) used for fitting", "0.6")
    .option("--trials <n>", "parameter sets to try (the first is the current defaults)", "150")
    .option("--entries <n>", "seeded random entries per part", "2000")
    .option("--entry-sets <n>", "independent entry lists per fitting part (scores are averaged over them)", "1")
    .option("--seed <S>", "seed for entries and the search", COMMON_DEFAULTS.seed)
    .option("--legacy-module <name>", "legacy baseline: hybrid_tpsl or position_monitor", COMMON_DEFAULTS.legacyModule)
    .option("--params <FILE>", "JSON parameters to use as the first trial instead of the defaults")
    .option("--out <FILE>", "write the best parameters as JSON here")
    .option("--json", "print JSON instead of tables")
    .option("--no-progress", "no progress bar on stderr")
    .action((raw: Record<string, unknown>) => {
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) throw flagError(parsed.error);
      const f = parsed.data;
      const cfg = fillConfigFrom(f);
      const legacy = legacyPolicy(legacyFrom(f.legacyModule));
      const first = brainParamsFrom(f.params);
      const files = f.candles.map(loadCandleFile);
      const fit: Part[] = [];
      const test: Part[] = [];
      for (const c of files) {
        const a = sliceCandles(c, 0, f.fitFraction);
        const b = sliceCandles(c, f.fitFraction, 1);
        if (a.candles.length < WARMUP * 4 || b.candles.length < WARMUP * 4) throw new CliInputError(`--candles ${c.file}: too short to split at ${f.fitFraction} (${c.candles.length} candles)`);
        fit.push(...partsFor(a, f.entries, f.seed, f.entrySets));
        test.push({ data: b, entries: randomEntries(f.entries, b.candles.length, f.seed + 1, WARMUP) });
      }
      const legacyFit = fit.map((p) => run(p, legacy, cfg));
      const rng = createPrng(f.seed);
      const bar = f.progress ? new SingleBar({ format: "tune [{bar}] {value}/{total} trials | best score {best}", stream: process.stderr, clearOnComplete: true }) : null;
      bar?.start(f.trials, 0, { best: "-" });
      let best: { params: ExitBrainParams; score: number } = { params: first, score: -Infinity };
      for (let k = 0; k < f.trials; k++) {
        const params = k === 0 ? first : sampleBrainParams(rng);
        const score = tuneScore(fit.map((p) => run(p, brainPolicy(params), cfg)), legacyFit);
        if (score > best.score) best = { params, score };
        bar?.update(k + 1, { best: best.score.toFixed(4) });
      }
      bar?.stop();
      if (f.out) writeFileSync(f.out, `${JSON.stringify(best.params, null, 2)}\n`);
      const heldOut = test.map((p) => ({
        file: p.data.name,
        candles: p.data.candles.length,
        results: [
          { ...run(p, brainPolicy(best.params), cfg), policy: "brain (tuned)" },
          { ...run(p, brainPolicy(defaultExitBrainParams), cfg), policy: "brain (defaults)" },
          run(p, legacy, cfg),
        ],
      }));
      if (f.json) {
        console.log(JSON.stringify({ fitFraction: f.fitFraction, trials: f.trials, seed: f.seed, fitScore: best.score, bestParams: best.params, heldOut }, null, 2));
        return;
      }
      console.log(`Fitted on the first ${f.fitFraction * 100}% of each file (${f.trials} trials, seed ${f.seed}); fit score ${best.score.toFixed(4)} (in-sample, not a result).`);
      console.log(`Best parameters:\n${JSON.stringify(best.params)}`);
      for (const h of heldOut) {
        console.log(`\nHELD OUT ${h.file}: ${h.candles} candles, ${f.entries} entries (seed ${f.seed + 1})`);
        console.log(formatTable(METRIC_HEADERS, h.results.map(metricsRow)));
      }
    });
}
