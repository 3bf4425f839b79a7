// Out-of-sample report: Exit Brain (defaults, or --params FILE) vs the legacy exits
// (hybrid_tpsl) on the same seeded random entries, several seeds, with a paired bootstrap
// confidence interval of the Sharpe difference. Reproduces the table in
// docs/backtest-results.md.
//
//   node --import tsx bench/backtest-oos.ts [--set test|train] [--seeds 1,2,3,4,5] [--entries 2000] [--params FILE] [--tp-order market|limit] [--md]
//
// --set train = the fitting data only (first 60% of BTCUSDT-5m-shinltp and
// BTCUSDT-1m-alpergulsen); --set test (default) = everything else: their last 40% and the whole
// of the six other files. Nothing in the test set may be used to choose parameters.
import { readFileSync } from "node:fs";
import path from "node:path";
import { brainPolicy } from "../src/core/backtest/brain-policy";
import { randomEntries } from "../src/core/backtest/entries";
import { legacyPolicy } from "../src/core/backtest/legacy-policy";
import { runBacktest } from "../src/core/backtest/run-backtest";
import { FillConfigSchema, type PolicyMetrics, type TradeResult } from "../src/core/backtest/types";
import { parseExitBrainParams } from "../src/core/exit-brain/params";
import { defaultHybridTpslParams } from "../src/core/legacy/legacy-params";
import { parseCandleCsv } from "../src/core/market/parse-candle-csv";
import { createPrng } from "../src/core/random/prng";

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const dir = process.env.CANDLES_DIR ?? path.resolve(import.meta.dirname, "../market-data");
const set = flag("set", "test");
const seeds = flag("seeds", "1,2,3,4,5").split(",").map(Number);
const nEntries = Number(flag("entries", "2000"));
const paramsFile = args.includes("--params") ? flag("params", "") : null;
const md = args.includes("--md");
const params = parseExitBrainParams(paramsFile ? JSON.parse(readFileSync(paramsFile, "utf8")) : {});
const FIT = 0.6;
const FIT_FILES = ["BTCUSDT-5m-shinltp.csv", "BTCUSDT-1m-alpergulsen.csv"];
const OTHER_FILES = ["BTCUSDT-1h-nfi.csv", "BTCUSDT-1m-tooyipjee.csv", "BTCUSDT-5m-nfi.csv", "ETHUSDT-5m-nfi.csv", "SOLUSDT-5m-nfi.csv", "XRPUSDT-5m-freqtrade.csv"];
const WARMUP = 51;

interface Part {
  name: string;
  candles: ReturnType<typeof parseCandleCsv>["candles"];
  intervalMs: number;
}
function load(file: string, from: number, to: number): Part {
  const { candles, intervalMs } = parseCandleCsv(readFileSync(path.join(dir, file), "utf8"), file);
  const a = Math.floor(candles.length * from);
  const b = Math.floor(candles.length * to);
  return { name: from === 0 && to === 1 ? file : `${file}[${from}:${to}]`, candles: candles.slice(a, b), intervalMs };
}
const parts: Part[] =
  set === "train" ? FIT_FILES.map((f) => load(f, 0, FIT)) : [...FIT_FILES.map((f) => load(f, FIT, 1)), ...OTHER_FILES.map((f) => load(f, 0, 1))];

const cfg = FillConfigSchema.parse({ takeProfitOrder: flag("tp-order", "market") });
const legacy = legacyPolicy({ module: "hybrid_tpsl", params: defaultHybridTpslParams });
const brain = brainPolicy(params);

/** Per-trade returns in entry order (same entries for both policies, so they pair up). */
function byEntry(trades: readonly TradeResult[]): number[] {
  return [...trades].sort((a, b) => a.entryIndex - b.entryIndex || a.side.localeCompare(b.side) || a.ret - b.ret).map((t) => t.ret);
}
function sharpe(xs: readonly number[], idx: readonly number[]): number {
  let s = 0;
  let q = 0;
  for (const i of idx) {
    s += xs[i]!;
    q += xs[i]! * xs[i]!;
  }
  const n = idx.length;
  const m = s / n;
  const sd = Math.sqrt(Math.max(0, (q - n * m * m) / (n - 1)));
  return sd > 0 ? m / sd : 0;
}
/** Paired bootstrap (resampling entries) of Sharpe(brain) - Sharpe(legacy): 5th and 95th percentile. */
function bootstrapCi(b: number[], l: number[], reps = 1000): [number, number] {
  const rng = createPrng(12345);
  const n = b.length;
  const diffs: number[] = [];
  const idx = new Array<number>(n);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    diffs.push(sharpe(b, idx) - sharpe(l, idx));
  }
  diffs.sort((x, y) => x - y);
  return [diffs[Math.floor(reps * 0.05)]!, diffs[Math.floor(reps * 0.95)]!];
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const f4 = (x: number): string => x.toFixed(4);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const exits = (m: PolicyMetrics): string =>
  Object.entries(m.exitsByType)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(" · ") + (m.partialFills > 0 ? ` (+${m.partialFills} partial)` : "");

let winsMean = 0;
const rows: string[] = [];
const detail: string[] = [];
for (const p of parts) {
  const perSeed: { b: PolicyMetrics; l: PolicyMetrics }[] = [];
  const pooledB: number[] = [];
  const pooledL: number[] = [];
  for (const seed of seeds) {
    const entries = randomEntries(nEntries, p.candles.length, seed, WARMUP);
    const input = { candles: p.candles, entries, intervalMs: p.intervalMs, cfg };
    const b = runBacktest(input, brain);
    const l = runBacktest(input, legacy);
    perSeed.push({ b: b.metrics, l: l.metrics });
    pooledB.push(...byEntry(b.trades));
    pooledL.push(...byEntry(l.trades));
    detail.push(`| ${p.name} | ${seed} | brain | ${pct(b.metrics.winRate)} | ${pct(b.metrics.totalReturn)} | ${pct(b.metrics.maxDrawdown)} | ${f4(b.metrics.sharpe)} | ${exits(b.metrics)} |`);
    detail.push(`| ${p.name} | ${seed} | legacy | ${pct(l.metrics.winRate)} | ${pct(l.metrics.totalReturn)} | ${pct(l.metrics.maxDrawdown)} | ${f4(l.metrics.sharpe)} | ${exits(l.metrics)} |`);
  }
  const bs = mean(perSeed.map((x) => x.b.sharpe));
  const ls = mean(perSeed.map((x) => x.l.sharpe));
  const bd = mean(perSeed.map((x) => x.b.maxDrawdown));
  const ld = mean(perSeed.map((x) => x.l.maxDrawdown));
  const br = mean(perSeed.map((x) => x.b.totalReturn));
  const lr = mean(perSeed.map((x) => x.l.totalReturn));
  const seedWins = perSeed.filter((x) => x.b.sharpe > x.l.sharpe && x.b.maxDrawdown < x.l.maxDrawdown).length;
  const win = bs > ls && bd < ld;
  if (win) winsMean++;
  const [lo, hi] = bootstrapCi(pooledB, pooledL);
  rows.push(
    `| ${p.name} | ${f4(bs)} | ${f4(ls)} | [${f4(lo)}, ${f4(hi)}] | ${pct(bd)} | ${pct(ld)} | ${pct(br)} | ${pct(lr)} | ${seedWins} of ${seeds.length} | ${win ? "**yes**" : "no"} |`,
  );
}

const head =
  "| file (part) | brain Sharpe | legacy Sharpe | Sharpe diff 90% CI | brain max DD | legacy max DD | brain total return | legacy total return | brain wins both (seeds) | wins on the means |\n|---|---|---|---|---|---|---|---|---|---|";
console.log(`set=${set} seeds=${seeds.join(",")} entries=${nEntries} per seed and part, params=${paramsFile ?? "defaults"}, fills: taker ${cfg.takerFeePct}% + slippage ${cfg.slippagePct}% on every exit (tp=${cfg.takeProfitOrder})\n`);
console.log(head);
for (const r of rows) console.log(r);
console.log(`\nExit Brain beats legacy on both mean Sharpe and mean max DD in ${winsMean} of ${parts.length} file parts.`);
if (md) {
  console.log("\n| file (part) | seed | policy | win rate | total return | max DD | Sharpe | exits by type |\n|---|---|---|---|---|---|---|---|");
  for (const d of detail) console.log(d);
}
