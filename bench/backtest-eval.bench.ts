// The whole honest evaluation (bench/backtest-eval.ts: all eight bundled file parts, 10 entry
// seeds × 300 entries, Exit Brain + the tuned, ATR-tuned and deployed legacy baselines, intrabar
// path fills, both random-walk controls and the zero-cost control) against the 60 s target of
// issue 15. Prints wall and CPU time (the machine is shared: CPU time is what the run itself
// costs) and whether the controls passed, not the results (they are docs/backtest-results.md).
//
//   node --import tsx bench/backtest-eval.bench.ts [--parity]
import { defaultCostModel } from "../src/core/backtest/cost-model";
import { runEvaluation } from "./backtest-eval-run";

const parity = process.argv.includes("--parity");
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const out = await runEvaluation({ set: "test", seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], entries: 300, walks: 2, paramsFile: null, cost: defaultCostModel, parity });
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const primary = out.markdown.split("\n").find((l) => l.startsWith("| **all parts** |")) ?? "(no primary row)";
console.log(`primary test row (must equal docs/backtest-results.md): ${primary}`);
console.log(`evaluation${parity ? " with the live-parity variants" : ""}: wall ${(wall / 1000).toFixed(1)} s, CPU ${(cpuMs / 1000).toFixed(1)} s; random-walk controls ${out.failed ? "FAILED" : "passed"}`);
console.log(`[BENCH] backtest-eval: whole evaluation ${(wall / 1000).toFixed(1)} s wall (CPU ${(cpuMs / 1000).toFixed(1)} s) (target < 60 s): ${wall < 60_000 ? "MET" : "MISSED"}`);
if (out.failed) process.exit(1);
