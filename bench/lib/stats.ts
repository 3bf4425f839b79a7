// Summary statistics for benchmark samples (milliseconds unless stated).
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

export function fmt(s: Summary, unit = "ms"): string {
  const f = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
  return `n=${s.n} p50=${f(s.p50)}${unit} p95=${f(s.p95)}${unit} p99=${f(s.p99)}${unit} max=${f(s.max)}${unit}`;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
