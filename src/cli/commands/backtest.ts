// `exit-brain backtest`: Exit Brain vs the legacy exits on the same entries, per candle file.
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { z } from "zod";
import { entriesAtTimes, randomEntries, type TimedEntry } from "../../core/backtest/entries";
import type { Entry } from "../../core/backtest/types";
import { CliInputError, loadCandleFile, sliceCandles, type CandleFile } from "../candles/load-candle-file";
import { loadEntriesFile } from "../candles/load-entries";
import { formatTable, METRIC_HEADERS, metricsRow } from "./backtest-format";
import { addFillFlags, brainParamsFrom, COMMON_DEFAULTS, CommonFlagsSchema, costModelFrom, fillConfigFrom, flagError, legacyFrom, num } from "./backtest-options";
import { runComparison, type FileComparison } from "./backtest-run";
import { runPathComparison } from "./backtest-path";

const FlagsSchema = CommonFlagsSchema.extend({
  entries: z.string().min(1),
  policy: z.enum(["brain", "legacy", "both"], { message: "--policy must be brain, legacy or both" }),
  engine: z.enum(["path", "candle"], { message: "--engine must be path or candle" }),
  slipRangeFrac: num("--slip-range-frac"),
  fundingPct: num("--funding-pct"),
  slice: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?):(0(\.\d+)?|1(\.0+)?)$/, "--slice must be FROM:TO fractions, e.g. 0.6:1")
    .refine((s) => { const [a, b] = s.split(":").map(Number); return a! < b!; }, "--slice FROM must be below TO")
    .optional(),
});

function entriesFor(spec: string, data: CandleFile, seed: number, warmup: number, fromFile: TimedEntry[] | null): { entries: Entry[]; note: string } {
  if (fromFile) {
    const { entries, outside } = entriesAtTimes(fromFile, data.candles);
    return { entries, note: outside > 0 ? `${outside} entries outside this file's time range were skipped` : "" };
  }
  const count = num("--entries").pipe(z.number().int().min(1).max(1_000_000)).safeParse(spec);
  if (!count.success) throw new CliInputError(`--entries ${spec}: give a count between 1 and 1000000 or an existing .json/.csv file`);
  return { entries: randomEntries(count.data, data.candles.length, seed, warmup), note: "" };
}

export function register(program: Command): void {
  addFillFlags(program.command("backtest"))
    .description(
      "Replay candles and compare Exit Brain with the legacy exits on the same entries. Default engine: the path evaluator (fills from the intrabar path, paired test, zero-cost column), as in docs/backtest-results.md; --engine candle = the old candle fills (stops at their trigger inside a candle, which flatters stop-heavy policies). The full evaluation with its controls: node --import tsx bench/backtest-eval.ts",
    )
    .option("--engine <path|candle>", "path = intrabar path fills (default); candle = the old candle fills", "path")
    .option("--slip-range-frac <x>", "path engine: slippage = --slippage-pct + this share of the candle's range", "0.05")
    .option("--funding-pct <x>", "path engine: funding rate per 8 h, percent (longs pay)", "0.01")
    .requiredOption("--candles <files...>", "candle CSV files, plain or .csv.gz (timestamp,open,high,low,close,volume)")
    .option("--entries <N|FILE>", "number of seeded random entries per file, or a JSON/CSV file of {time, side}", "1000")
    .option("--seed <S>", "seed for the random entries", COMMON_DEFAULTS.seed)
    .option("--policy <brain|legacy|both>", "which policies to run", "both")
    .option("--legacy-module <name>", "legacy baseline: hybrid_tpsl or position_monitor", COMMON_DEFAULTS.legacyModule)
    .option("--params <FILE>", "JSON file of Exit Brain parameters (defaults otherwise)")
    .option("--slice <FROM:TO>", "only this part of each file, as fractions (e.g. 0.6:1 = the last 40%)")
    .option("--json", "print JSON instead of tables")
    .option("--no-progress", "no progress bar on stderr")
    .action((raw: Record<string, unknown>) => {
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) throw flagError(parsed.error);
      const f = parsed.data;
      const cfg = fillConfigFrom(f);
      const brainParams = brainParamsFrom(f.params);
      const legacy = legacyFrom(f.legacyModule);
      const fromFile = /^\d+$/.test(f.entries) ? null : loadEntriesFile(f.entries);
      let files = f.candles.map(loadCandleFile);
      if (f.slice) {
        const [a, b] = f.slice.split(":").map(Number) as [number, number];
        files = files.map((c) => sliceCandles(c, a, b));
      }
      const perFile = f.policy === "both" ? 2 : 1;
      const total = files.reduce((s, c) => s + c.candles.length * perFile, 0);
      const bar = f.progress ? new SingleBar({ format: "backtest [{bar}] {percentage}% | {value}/{total} candles", stream: process.stderr, clearOnComplete: true }) : null;
      bar?.start(total, 0);
      const out: (FileComparison & { note: string })[] = [];
      let base = 0;
      const warmup = brainParams.atrPeriod + 1;
      if (f.engine === "path") {
        if (f.policy !== "both") throw new CliInputError("--policy brain|legacy needs --engine candle: the path engine always compares both on the same entries");
        const cost = costModelFrom(f);
        const out = files.map((data) => {
          const { entries, note } = entriesFor(f.entries, data, f.seed, warmup, fromFile);
          return { ...runPathComparison(data, entries, f.seed, brainParams, legacy, cost), note };
        });
        if (f.json) {
          console.log(JSON.stringify({ engine: "path", seed: f.seed, legacyModule: f.legacyModule, cost, brainParams, files: out.map(({ markdown: _md, ...r }) => r) }, null, 2));
          return;
        }
        for (const r of out) {
          console.log(`\n${r.file}: ${r.candles} candles, ${r.entries} entries (seed ${f.seed}), legacy = ${f.legacyModule}, path fills${r.note ? `; ${r.note}` : ""}`);
          console.log(r.markdown);
        }
        return;
      }
      for (const data of files) {
        const { entries, note } = entriesFor(f.entries, data, f.seed, warmup, fromFile);
        const b0 = base;
        out.push({ ...runComparison(data, entries, { policy: f.policy, brainParams, legacy, cfg, onProgress: (d) => bar?.update(b0 + d) }), note });
        base += data.candles.length * perFile;
      }
      bar?.stop();
      if (f.json) {
        console.log(JSON.stringify({ seed: f.seed, legacyModule: f.legacyModule, fillConfig: cfg, brainParams, files: out }, null, 2));
        return;
      }
      for (const r of out) {
        console.log(`\n${r.file}: ${r.candles} candles, ${r.entries} entries (seed ${f.seed}), legacy = ${f.legacyModule}${r.note ? `; ${r.note}` : ""}`);
        console.log(formatTable(METRIC_HEADERS, r.results.map(metricsRow)));
      }
    });
}
