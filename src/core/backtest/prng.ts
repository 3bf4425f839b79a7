// Seeded pseudo-random numbers for core code (backtest entries, tuning, property tests):
// src/core never calls Math.random, so every run with the same seed is identical.
// mulberry32: 32-bit state, fast, good enough for sampling (not for cryptography).

export interface Prng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [0, n) */
  int(n: number): number;
}

export function createPrng(seed: number): Prng {
  let a = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}
