// Markdown for an evaluation: per-part and per-regime paired comparisons, each policy's own
// figures, and the two controls (zero cost; seeded random walks, which must show nothing).
import { comparePolicies, policyFigures, type Comparison, type EntryFilter } from "./compare";
import type { PartRun } from "./evaluation";
import type { PairedResult } from "./paired-test";
import { REGIMES } from "./regime";

export const ALPHA = 0.05;

const bp = (x: number): string => (Number.isFinite(x) ? `${(x * 1e4).toFixed(1)}` : "n/a");
const r3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : "n/a");
const pv = (p: number): string => (p < 0.001 ? "<0.001" : p.toFixed(3));
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

export function isSignificant(r: PairedResult): boolean {
  return r.blocks >= 2 && r.p < ALPHA;
}

function verdict(r: PairedResult, unit: "bp" | "R"): string {
  if (r.blocks < 10) return "too few days";
  const f = unit === "bp" ? bp : r3;
  if (!isSignificant(r)) return `no significant difference (${f(r.mean)})`;
  return r.mean > 0 ? "**A better**" : "**A worse**";
}

function cell(r: PairedResult, unit: "bp" | "R"): string {
  const f = unit === "bp" ? bp : r3;
  return `${f(r.mean)} [${f(r.ci[0])}, ${f(r.ci[1])}] p=${pv(r.p)}`;
}

export const COMPARISON_HEAD =
  "| subset | trades | days | net diff, bp [95% CI] p | block bootstrap 95% CI, bp | risk-matched diff, R [95% CI] p | zero-cost diff, bp [95% CI] p | verdict (net) |\n|---|---|---|---|---|---|---|---|";

export function comparisonRow(label: string, c: Comparison): string {
  return `| ${label} | ${c.raw.n} | ${c.raw.blocks} | ${cell(c.raw, "bp")} | [${bp(c.raw.bootCi[0])}, ${bp(c.raw.bootCi[1])}] | ${cell(c.riskMatched, "R")} | ${cell(c.gross, "bp")} | ${verdict(c.raw, "bp")} |`;
}

/** Rows: every part, every regime (pooled over parts), then all pooled. */
export function comparisonTable(runs: readonly PartRun[], a: string, b: string): string {
  const rows = [COMPARISON_HEAD];
  for (const run of runs) rows.push(comparisonRow(run.name, comparePolicies([run], a, b)));
  for (const g of REGIMES) {
    const f: EntryFilter = (e) => e.regime === g;
    if (runs.some((r) => r.entries.some(f))) rows.push(comparisonRow(`regime: ${g}`, comparePolicies(runs, a, b, f)));
  }
  rows.push(comparisonRow("**all parts**", comparePolicies(runs, a, b)));
  return rows.join("\n");
}

export const FIGURES_HEAD =
  "| policy | trades | mean net, bp | mean gross, bp | mean R | win rate | worst-5% mean (CVaR) | given back (trades ≥1% up) | max DD (2% stake) | exits |\n|---|---|---|---|---|---|---|---|---|---|";

export function figuresTable(runs: readonly PartRun[], keys: readonly string[], stake: number, filter?: EntryFilter): string {
  const rows = [FIGURES_HEAD];
  for (const k of keys) {
    const f = policyFigures(runs, k, stake, filter);
    const exits = Object.entries(f.exits)
      .filter(([, v]) => v > 0)
      .map(([t, v]) => `${t} ${v}`)
      .join(" · ");
    rows.push(`| ${k} | ${f.trades} | ${bp(f.meanNet)} | ${bp(f.meanGross)} | ${r3(f.meanR)} | ${pct(f.winRate)} | ${pct(f.cvar5)} | ${pct(f.givenBack)} | ${pct(f.maxDrawdown)} | ${exits} |`);
  }
  return rows.join("\n");
}

export interface ControlOutcome {
  readonly label: string;
  readonly gross: PairedResult;
  readonly grossRiskMatched: PairedResult;
  /** true = the control found a difference: the evaluator is not to be trusted */
  readonly failed: boolean;
}

/** A random-walk control: on a martingale, zero-cost returns must not differ significantly. */
export function randomWalkControl(label: string, runs: readonly PartRun[], a: string, b: string): ControlOutcome {
  const c = comparePolicies(runs, a, b);
  return { label, gross: c.gross, grossRiskMatched: c.grossRiskMatched, failed: isSignificant(c.gross) || isSignificant(c.grossRiskMatched) };
}

export function controlLine(c: ControlOutcome): string {
  const state = c.failed ? "**FAILED: the evaluator finds a difference on a martingale; do not trust this report**" : "passed (no significant difference)";
  return `| ${c.label} | ${c.gross.n} | ${cell(c.gross, "bp")} | ${cell(c.grossRiskMatched, "R")} | ${state} |`;
}

export const CONTROL_HEAD = "| random-walk control | trades | zero-cost diff, bp [95% CI] p | zero-cost risk-matched, R [95% CI] p | result |\n|---|---|---|---|---|";
