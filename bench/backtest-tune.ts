// The fitting step of docs/backtest-protocol.md: the same random-search budget for the legacy
// baseline (fixed %), its ATR-scaled variant and Exit Brain, on the fitting data only (first 60%
// of the two fitting files, entry seeds 101-104), objective = mean net per-trade return under the
// evaluator's costs. Writes the best of each family to bench/backtest-tuned.json.
//
//   node --import tsx bench/backtest-tune.ts [--trials 60] [--out bench/backtest-tuned.json]
//   node --import tsx bench/backtest-tune.ts --round 2   (local search around each family's round-1 best,
//                                                        the same budget for each; protocol amendment 1)
import { writeFileSync } from "node:fs";
import { defaultCostModel } from "../src/core/backtest/cost-model";
import { randomEntries } from "../src/core/backtest/entries";
import { runPathBacktest, type PathPolicy } from "../src/core/backtest/path-engine";
import { brainPathPolicy, bracketPolicy, type BracketSpec } from "../src/core/backtest/path-policies";
import { sampleBrainParams } from "../src/core/backtest/param-space";
import { buildPricePath } from "../src/core/backtest/price-path";
import { defaultExitBrainParams, parseExitBrainParams, type ExitBrainParams } from "../src/core/exit-brain/params";
import { createPrng, type Prng } from "../src/core/backtest/prng";
import { deployedLegacy, loadTuned, MAX_STEP_PCT, partsOf, TUNED_FILE, TunedSchema, WARMUP } from "./backtest-eval-setup";

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const TRIALS = Number(flag("trials", "60"));
const OUT = flag("out", TUNED_FILE);
const SEEDS = [101, 102, 103, 104];
const ENTRIES = 300;
const cost = defaultCostModel;

const fit = partsOf("fit").map((p) => ({
  ...p,
  path: buildPricePath(p.candles, p.intervalMs, MAX_STEP_PCT, p.finer),
  entries: SEEDS.map((s) => randomEntries(ENTRIES, p.candles.length, s, WARMUP)),
}));

/** Mean net return per trade, basis points, over the fitting data. */
function score<S>(policy: PathPolicy<S>): number {
  let sum = 0;
  let n = 0;
  for (const p of fit) {
    for (const entries of p.entries) {
      for (const r of runPathBacktest({ candles: p.candles, path: p.path, entries, intervalMs: p.intervalMs, cost }, policy)) {
        sum += r.net;
        n++;
      }
    }
  }
  return (sum / n) * 1e4;
}

const u = (rng: Prng, lo: number, hi: number): number => Number((lo + rng.next() * (hi - lo)).toFixed(2));
const FRACTIONS = [0.25, 0.33, 0.5, 1];

function sampleBracket(rng: Prng, unit: "pct" | "atr", name: string): BracketSpec {
  const [stopLo, stopHi, r1Lo, r1Hi, r2Hi] = unit === "pct" ? [0.5, 5, 0.5, 6, 10] : [1, 12, 1, 20, 30];
  const stop = u(rng, stopLo, stopHi);
  const d1 = u(rng, r1Lo, r1Hi);
  if (rng.next() < 0.5) return { name, unit, stop, levels: [{ dist: d1, fraction: 1 }] };
  const f1 = FRACTIONS[rng.int(FRACTIONS.length)]!;
  const d2 = u(rng, d1 + 0.1, r2Hi);
  return { name, unit, stop, levels: [{ dist: d1, fraction: f1 }, { dist: d2, fraction: 1 }] };
}

function search<T>(label: string, incumbent: T, sample: (rng: Prng) => T, evaluate: (x: T) => number, seed: number): { best: T; score: number; incumbentScore: number } {
  const rng = createPrng(seed);
  const t0 = performance.now();
  const incumbentScore = evaluate(incumbent);
  let best = incumbent;
  let bestScore = incumbentScore;
  for (let k = 1; k <= TRIALS; k++) {
    const x = sample(rng);
    const s = evaluate(x);
    if (s > bestScore) {
      best = x;
      bestScore = s;
    }
    if (k % 10 === 0) console.error(`${label}: ${k}/${TRIALS} trials, best ${bestScore.toFixed(2)} bp (incumbent ${incumbentScore.toFixed(2)}), ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  return { best, score: bestScore, incumbentScore };
}

const atrDeployed: BracketSpec = { name: "legacy ATR", unit: "atr", stop: 6, levels: [{ dist: 6, fraction: 0.5 }, { dist: 12, fraction: 1 }] };

/** Round 2: multiplicative noise (about ±25%) on every number, a discrete choice re-drawn with probability 0.2. */
const jitter = (rng: Prng, x: number, lo: number, hi: number): number => Number(Math.min(hi, Math.max(lo, x * Math.exp(0.25 * (2 * rng.next() - 1)))).toFixed(2));
function nearBracket(rng: Prng, b: BracketSpec): BracketSpec {
  const [hiStop, hiDist] = b.unit === "pct" ? [5, 10] : [12, 30];
  const levels = b.levels.map((l) => ({ dist: jitter(rng, l.dist, 0.2, hiDist), fraction: l.fraction }));
  for (let i = 1; i < levels.length; i++) if (levels[i]!.dist <= levels[i - 1]!.dist) levels[i] = { ...levels[i]!, dist: Number((levels[i - 1]!.dist + 0.1).toFixed(2)) };
  return { ...b, stop: jitter(rng, b.stop, 0.2, hiStop), levels };
}
function nearBrain(rng: Prng, p: ExitBrainParams): ExitBrainParams {
  const fresh = sampleBrainParams(rng);
  const pick = <K extends keyof ExitBrainParams>(k: K): ExitBrainParams[K] => (rng.next() < 0.2 ? fresh[k] : p[k]);
  const minStopPct = jitter(rng, p.minStopPct, 0.2, 4);
  return parseExitBrainParams({
    ...p,
    atrPeriod: pick("atrPeriod"),
    slAtrMult: jitter(rng, p.slAtrMult, 1, 12),
    minStopPct,
    maxStopPct: Math.max(p.maxStopPct, minStopPct),
    breakevenTriggerR: jitter(rng, p.breakevenTriggerR, 0.2, 100),
    breakevenOffsetPct: jitter(rng, p.breakevenOffsetPct, 0.01, 1),
    breakevenBufferAtr: pick("breakevenBufferAtr"),
    trailTriggerR: jitter(rng, p.trailTriggerR, 0.3, 6),
    trailAtrMult: jitter(rng, p.trailAtrMult, 1, 15),
    ladder: pick("ladder"),
    // round 2 also allows a take-profit nearer than 1 R (the structure the legacy fit found)
    takeProfitR: rng.next() < 0.2 ? [0, 0.5, 0.75, 1, 1.5, 2, 3][rng.int(7)]! : p.takeProfitR === 0 ? 0 : jitter(rng, p.takeProfitR, 0.3, 8),
    shockAtrMult: pick("shockAtrMult"),
    maxHoldMs: pick("maxHoldMs"),
  });
}

const round = Number(flag("round", "1"));
const prev = round === 2 ? loadTuned() : null;
if (round === 2 && !prev) throw new Error(`--round 2 needs the round-1 results in ${TUNED_FILE}; run round 1 first`);
const pct = prev
  ? search("legacy fixed % (round 2)", prev.legacyPct, (rng) => nearBracket(rng, prev.legacyPct), (x) => score(bracketPolicy(x)), 21)
  : search("legacy fixed %", { ...deployedLegacy, name: "legacy tuned (fixed %)" }, (rng) => sampleBracket(rng, "pct", "legacy tuned (fixed %)"), (x) => score(bracketPolicy(x)), 11);
const atr = prev
  ? search("legacy ATR (round 2)", prev.legacyAtr, (rng) => nearBracket(rng, prev.legacyAtr), (x) => score(bracketPolicy(x)), 22)
  : search("legacy ATR", { ...atrDeployed, name: "legacy tuned (ATR)" }, (rng) => sampleBracket(rng, "atr", "legacy tuned (ATR)"), (x) => score(bracketPolicy(x)), 12);
const brain = prev
  ? search<ExitBrainParams>("brain (round 2)", prev.brain, (rng) => nearBrain(rng, prev.brain), (x) => score(brainPathPolicy(x)), 23)
  : search<ExitBrainParams>("brain", defaultExitBrainParams, sampleBrainParams, (x) => score(brainPathPolicy(x)), 13);

const tuned = TunedSchema.parse({
  protocol: `docs/backtest-protocol.md; round ${round}; fit = first 60% of the fitting files, seeds ${SEEDS.join(",")}, ${ENTRIES} entries per seed and part, ${TRIALS} trials + incumbent per family, objective mean net bp per trade`,
  legacyPct: pct.best,
  legacyAtr: atr.best,
  brain: brain.best,
  fitScores: {
    ...(prev ? Object.fromEntries(Object.entries(prev.fitScores).map(([k, v]) => [`round1.${k}`, v])) : {}),
    legacyPct: pct.score,
    legacyPctIncumbent: pct.incumbentScore,
    legacyAtr: atr.score,
    legacyAtrIncumbent: atr.incumbentScore,
    brain: brain.score,
    brainIncumbent: brain.incumbentScore,
  },
});
writeFileSync(OUT, `${JSON.stringify(tuned, null, 2)}\n`);
console.log(JSON.stringify(tuned.fitScores, null, 2));
console.log(`written to ${OUT}`);
