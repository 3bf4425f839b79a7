// The honest evaluation (docs/backtest-protocol.md): Exit Brain vs the tuned legacy baseline on
// intrabar paths, paired per entry, per file part and per regime, raw and risk-matched, with the
// zero-cost control and the seeded random-walk controls. Exits 1 when a random-walk control
// finds a significant difference (the evaluator would be measuring its own fills).
//
//   node --import tsx bench/backtest-eval.ts [--set test|fit] [--seeds 1..10] [--entries 300] [--walks 2] [--params FILE] [--parity] [--threads 2] [--out FILE]
//
// --parity adds the live-parity variants: the brain taking over legacy's resting orders, and
// the brain reading a forming-candle ATR (as the executor's candle source returns today).
import { writeFileSync } from "node:fs";
import { costModelFromArgs, runEvaluation } from "./backtest-eval-run";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const set = flag("set") ?? "test";
if (set !== "test" && set !== "fit") {
  console.error(`--set ${set}: use test or fit`);
  process.exit(2);
}
const seedsArg = flag("seeds") ?? "1..10";
const m = /^(\d+)\.\.(\d+)$/.exec(seedsArg);
const seeds = m ? Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i) : seedsArg.split(",").map(Number);
if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) {
  console.error(`--seeds ${seedsArg}: give A..B or a comma list of integers`);
  process.exit(2);
}
const entries = Number(flag("entries") ?? "300");
const walks = Number(flag("walks") ?? "2");
if (!(entries >= 10 && entries <= 100_000) || !(walks >= 1 && walks <= 50)) {
  console.error("--entries must be 10..100000 and --walks 1..50");
  process.exit(2);
}
const threads = Number(flag("threads") ?? "2");
if (!(Number.isInteger(threads) && threads >= 1 && threads <= 16)) {
  console.error(`--threads ${flag("threads")}: give a whole number from 1 to 16`);
  process.exit(2);
}
const out = await runEvaluation({ set, seeds, entries, walks, paramsFile: flag("params") ?? null, cost: costModelFromArgs(args), parity: args.includes("--parity") }, threads);
console.log(out.markdown);
const file = flag("out");
if (file) writeFileSync(file, `${out.markdown}\n`);
if (out.failed) {
  console.error("\nA random-walk control found a significant difference: the evaluator is not trustworthy for this run (see above).");
  process.exit(1);
}
