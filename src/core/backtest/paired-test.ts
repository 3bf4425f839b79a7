// Paired comparison of two exit policies on the same positions: the mean per-position return
// difference, a paired t-test whose standard error treats each time block as one unit (trades
// that overlap in time share a market and are not independent; a block is e.g. one UTC day),
// and a block bootstrap over those blocks. With one position per block this is the ordinary
// paired t-test. Pure; the bootstrap is seeded.
import { createPrng } from "./prng";

export interface PairedResult {
  /** pairs */
  readonly n: number;
  /** time blocks the pairs fall in */
  readonly blocks: number;
  /** mean of (a - b) */
  readonly mean: number;
  /** standard error of the mean, block-robust */
  readonly se: number;
  readonly t: number;
  /** degrees of freedom (blocks - 1) */
  readonly df: number;
  /** two-sided p-value of the t-test */
  readonly p: number;
  /** 95% confidence interval from the t-test */
  readonly ci: readonly [number, number];
  /** 95% percentile interval of the block bootstrap */
  readonly bootCi: readonly [number, number];
  /** two-sided bootstrap p-value (twice the smaller tail share on either side of 0) */
  readonly bootP: number;
}

/** ln Gamma (Lanczos). */
function lnGamma(x: number): number {
  const g = [76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.001208650973866179, -0.000005395239384953];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.00000000019001;
  for (const c of g) ser += c / ++y;
  return -tmp + Math.log((2.5066282746310007 * ser) / x);
}

/** Continued fraction of the incomplete beta (Numerical Recipes betacf). */
function betacf(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 3e-14) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
function incBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const bt = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (bt * betacf(a, b, x)) / a : 1 - (bt * betacf(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? 1 : 0;
  if (df <= 0) return 1;
  return incBeta(df / (df + t * t), df / 2, 0.5);
}

/** The t quantile for a two-sided 95% interval (bisection on the p-value). */
export function studentQuantile975(df: number): number {
  if (df <= 0) return Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = 1000;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    if (studentTwoSidedP(mid, df) > 0.05) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface PairedOptions {
  readonly bootstrapReps?: number;
  readonly seed?: number;
}

/**
 * `a[i] - b[i]` for each pair, grouped by `block[i]` (any integer; pairs with the same block
 * are treated as one unit). NaN pairs are dropped.
 */
export function pairedTest(a: readonly number[], b: readonly number[], block: readonly number[], opts: PairedOptions = {}): PairedResult {
  const sums = new Map<number, { s: number; n: number }>();
  let n = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (!Number.isFinite(d)) continue;
    const k = block[i]!;
    const g = sums.get(k);
    if (g) {
      g.s += d;
      g.n++;
    } else sums.set(k, { s: d, n: 1 });
    n++;
    total += d;
  }
  const groups = [...sums.values()];
  const B = groups.length;
  const mean = n > 0 ? total / n : 0;
  // Cluster-robust (ratio estimator) variance of the mean.
  let ss = 0;
  for (const g of groups) ss += (g.s - mean * g.n) ** 2;
  const se = B > 1 && n > 0 ? Math.sqrt((B / (B - 1)) * ss) / n : Number.NaN;
  const df = B - 1;
  const t = se > 0 ? mean / se : mean === 0 ? 0 : Number.NaN;
  const p = Number.isFinite(t) ? studentTwoSidedP(t, df) : 1;
  const q = studentQuantile975(df);
  const ci: [number, number] = Number.isFinite(se) ? [mean - q * se, mean + q * se] : [Number.NaN, Number.NaN];
  const { bootCi, bootP } = blockBootstrap(groups, opts);
  return { n, blocks: B, mean, se, t, df, p, ci, bootCi, bootP };
}

function blockBootstrap(groups: readonly { s: number; n: number }[], opts: PairedOptions): { bootCi: [number, number]; bootP: number } {
  const B = groups.length;
  const reps = opts.bootstrapReps ?? 2000;
  if (B < 2) return { bootCi: [Number.NaN, Number.NaN], bootP: 1 };
  const rng = createPrng(opts.seed ?? 20_240_601);
  const means = new Float64Array(reps);
  let below = 0;
  let above = 0;
  for (let r = 0; r < reps; r++) {
    let s = 0;
    let n = 0;
    for (let k = 0; k < B; k++) {
      const g = groups[rng.int(B)]!;
      s += g.s;
      n += g.n;
    }
    const m = n > 0 ? s / n : 0;
    means[r] = m;
    if (m <= 0) below++;
    if (m >= 0) above++;
  }
  means.sort();
  return { bootCi: [means[Math.floor(reps * 0.025)]!, means[Math.min(reps - 1, Math.floor(reps * 0.975))]!], bootP: Math.min(1, (2 * Math.min(below, above)) / reps) };
}
