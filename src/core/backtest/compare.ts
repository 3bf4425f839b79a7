// Statistics over evaluation runs: a policy's own figures (mean net and gross return, return
// per unit of initial risk, tail loss, profit given back, drawdown) and the paired comparison of
// two policies on the same entries, raw and risk-matched, net and at zero cost.
import type { PartRun, EvalEntry } from "./evaluation";
import { pairedTest, type PairedResult } from "./paired-test";
import type { PathTradeResult } from "./path-engine";
import { CLOSE_TYPES, type CloseType } from "./types";

export type EntryFilter = (e: EvalEntry) => boolean;

export interface PolicyFigures {
  readonly trades: number;
  /** mean net return per trade, fraction of notional */
  readonly meanNet: number;
  readonly meanGross: number;
  /** mean net return in units of the initial stop distance (R) */
  readonly meanR: number;
  readonly winRate: number;
  /** mean of the worst 5% net returns */
  readonly cvar5: number;
  /** trades that were >= 1% in profit at some point: mean of (best - final) raw return */
  readonly givenBack: number;
  /** mean over seeds of the max drawdown of an account staking `stake` per trade */
  readonly maxDrawdown: number;
  readonly exits: Readonly<Record<CloseType, number>>;
}

export interface Comparison {
  /** a - b on net returns */
  readonly raw: PairedResult;
  /** a - b on net returns per unit of each policy's initial stop distance (equal-risk sizing) */
  readonly riskMatched: PairedResult;
  /** the zero-cost control: a - b on gross returns */
  readonly gross: PairedResult;
  readonly grossRiskMatched: PairedResult;
}

const perR = (r: PathTradeResult, v: number): number => (r.initialRisk > 0 ? v / r.initialRisk : Number.NaN);

function collect(runs: readonly PartRun[], key: string, filter?: EntryFilter): { rs: PathTradeResult[]; es: EvalEntry[] } {
  const rs: PathTradeResult[] = [];
  const es: EvalEntry[] = [];
  for (const run of runs) {
    const res = run.results[key];
    if (!res) throw new Error(`no results for policy "${key}" in ${run.name}`);
    run.entries.forEach((e, i) => {
      if (!filter || filter(e)) {
        rs.push(res[i]!);
        es.push(e);
      }
    });
  }
  return { rs, es };
}

function maxDrawdown(rs: readonly PathTradeResult[], es: readonly EvalEntry[], stake: number): number {
  const bySeed = new Map<number, PathTradeResult[]>();
  rs.forEach((r, i) => {
    const k = es[i]!.seed;
    const xs = bySeed.get(k);
    if (xs) xs.push(r);
    else bySeed.set(k, [r]);
  });
  let sum = 0;
  for (const xs of bySeed.values()) {
    xs.sort((a, b) => a.exitTime - b.exitTime);
    let eq = 1;
    let peak = 1;
    let dd = 0;
    for (const r of xs) {
      eq += stake * r.net;
      if (eq > peak) peak = eq;
      dd = Math.max(dd, (peak - eq) / peak);
    }
    sum += dd;
  }
  return bySeed.size > 0 ? sum / bySeed.size : 0;
}

export function policyFigures(runs: readonly PartRun[], key: string, stake: number, filter?: EntryFilter): PolicyFigures {
  const { rs, es } = collect(runs, key, filter);
  const n = rs.length;
  const exits = Object.fromEntries(CLOSE_TYPES.map((t) => [t, 0])) as Record<CloseType, number>;
  let net = 0;
  let gross = 0;
  let rSum = 0;
  let rN = 0;
  let wins = 0;
  let gb = 0;
  let gbN = 0;
  for (const r of rs) {
    exits[r.closeType]++;
    net += r.net;
    gross += r.gross;
    const x = perR(r, r.net);
    if (Number.isFinite(x)) {
      rSum += x;
      rN++;
    }
    if (r.net > 0) wins++;
    if (r.mfe >= 0.01) {
      gb += r.mfe - r.gross;
      gbN++;
    }
  }
  const sorted = rs.map((r) => r.net).sort((a, b) => a - b);
  const k = Math.max(1, Math.floor(n * 0.05));
  const cvar5 = n > 0 ? sorted.slice(0, k).reduce((s, v) => s + v, 0) / k : 0;
  return {
    trades: n,
    meanNet: n > 0 ? net / n : 0,
    meanGross: n > 0 ? gross / n : 0,
    meanR: rN > 0 ? rSum / rN : 0,
    winRate: n > 0 ? wins / n : 0,
    cvar5,
    givenBack: gbN > 0 ? gb / gbN : 0,
    maxDrawdown: maxDrawdown(rs, es, stake),
    exits,
  };
}

export function comparePolicies(runs: readonly PartRun[], a: string, b: string, filter?: EntryFilter): Comparison {
  const A = collect(runs, a, filter);
  const B = collect(runs, b, filter).rs;
  const blocks = A.es.map((e) => e.block);
  const col = (xs: readonly PathTradeResult[], f: (r: PathTradeResult) => number) => xs.map(f);
  return {
    raw: pairedTest(col(A.rs, (r) => r.net), col(B, (r) => r.net), blocks),
    riskMatched: pairedTest(col(A.rs, (r) => perR(r, r.net)), col(B, (r) => perR(r, r.net)), blocks),
    gross: pairedTest(col(A.rs, (r) => r.gross), col(B, (r) => r.gross), blocks),
    grossRiskMatched: pairedTest(col(A.rs, (r) => perR(r, r.gross)), col(B, (r) => perR(r, r.gross)), blocks),
  };
}
