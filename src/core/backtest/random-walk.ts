// Seeded random-walk markets for the evaluator's control: the price is a martingale (each
// tick multiplies it by 1 + e with E[e] = 0), so no exit rule can change the expected gross
// return, and an evaluator that finds a significant difference between two exit policies on it
// is measuring its own fill model, not the policies. Ticks are aggregated into candles, and the
// evaluator only ever sees the candles, exactly like a real file.
import type { Candle } from "../market/types";
import { createPrng, type Prng } from "./prng";

export type WalkKind = "gaussian" | "fat-tailed";

export interface WalkSpec {
  readonly kind: WalkKind;
  readonly candles: number;
  readonly intervalMs: number;
  /** standard deviation of one candle's return, fraction (e.g. 0.002 for 5m BTC) */
  readonly candleVol: number;
  /** ticks per candle (jumps between them: a stop is filled past its trigger) */
  readonly ticksPerCandle: number;
  readonly seed: number;
  readonly startPrice?: number;
  readonly startTime?: number;
}

function gaussian(rng: Prng): number {
  let u = rng.next();
  while (u <= 1e-12) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Student t with 3 degrees of freedom, scaled to unit variance (its variance is 3). */
function student3(rng: Prng): number {
  const z = gaussian(rng);
  let chi = 0;
  for (let k = 0; k < 3; k++) chi += gaussian(rng) ** 2;
  return z / Math.sqrt(chi / 3) / Math.sqrt(3);
}

export function randomWalkCandles(spec: WalkSpec): Candle[] {
  return randomWalk(spec).candles;
}

/**
 * The walk's candles and its ticks, each tick as a flat candle (open = high = low = close) of
 * interval intervalMs / ticksPerCandle: the "finer data" an evaluator may path the candles by.
 */
export function randomWalk(spec: WalkSpec): { candles: Candle[]; ticks: Candle[]; tickIntervalMs: number } {
  const rng = createPrng(spec.seed);
  const draw = spec.kind === "gaussian" ? gaussian : student3;
  const tickVol = spec.candleVol / Math.sqrt(spec.ticksPerCandle);
  const out: Candle[] = [];
  const ticks: Candle[] = [];
  const tickIntervalMs = spec.intervalMs / spec.ticksPerCandle;
  let price = spec.startPrice ?? 100;
  const t0 = spec.startTime ?? Date.UTC(2024, 0, 1);
  for (let i = 0; i < spec.candles; i++) {
    let open = Number.NaN;
    let high = -Infinity;
    let low = Infinity;
    for (let k = 0; k < spec.ticksPerCandle; k++) {
      // symmetric cap keeps E[e] = 0 and the price positive
      const e = Math.max(-0.5, Math.min(0.5, tickVol * draw(rng)));
      price *= 1 + e;
      ticks.push({ openTime: t0 + i * spec.intervalMs + k * tickIntervalMs, open: price, high: price, low: price, close: price, volume: 1 });
      if (k === 0) open = price;
      if (price > high) high = price;
      if (price < low) low = price;
    }
    out.push({ openTime: t0 + i * spec.intervalMs, open, high, low, close: price, volume: 1 });
  }
  return { candles: out, ticks, tickIntervalMs };
}
