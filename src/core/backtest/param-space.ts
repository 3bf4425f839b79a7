// The search space `exit-brain tune` samples from. Every sample goes through the zod schema,
// so a tuned parameter set is always one the worker would accept.
import { ExitBrainParamsSchema, type ExitBrainParams, type LadderStep } from "../exit-brain/params";
import type { Prng } from "./prng";

const HOUR = 3_600_000;

const LADDERS: readonly (readonly LadderStep[])[] = [
  [],
  [{ triggerR: 1, fraction: 0.5 }],
  [{ triggerR: 2, fraction: 0.5 }],
  [{ triggerR: 3, fraction: 0.5 }],
  [
    { triggerR: 1, fraction: 0.33 },
    { triggerR: 2, fraction: 0.5 },
  ],
  [
    { triggerR: 1.5, fraction: 0.5 },
    { triggerR: 3, fraction: 0.5 },
  ],
  // small rungs: lock some gain, keep most of the position for the tail
  [{ triggerR: 1, fraction: 0.25 }],
  [{ triggerR: 2, fraction: 0.25 }],
  [
    { triggerR: 1, fraction: 0.25 },
    { triggerR: 2, fraction: 0.25 },
  ],
];

const pick = <T>(rng: Prng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;
const uniform = (rng: Prng, lo: number, hi: number, digits = 2): number => Number((lo + rng.next() * (hi - lo)).toFixed(digits));

export function sampleBrainParams(rng: Prng): ExitBrainParams {
  return ExitBrainParamsSchema.parse({
    atrPeriod: pick(rng, [14, 28, 50]),
    slAtrMult: uniform(rng, 1.5, 8),
    minStopPct: uniform(rng, 0.3, 2),
    maxStopPct: 6,
    breakevenTriggerR: pick(rng, [0.5, 0.75, 1, 1.5, 2, 3, 100]),
    breakevenOffsetPct: uniform(rng, 0.05, 0.3),
    breakevenBufferAtr: pick(rng, [0, 0, 0.5, 1, 2]),
    trailTriggerR: uniform(rng, 0.5, 4),
    trailAtrMult: uniform(rng, 1.5, 10),
    trailMinStepAtr: pick(rng, [0, 0.25, 0.5]),
    ladder: pick(rng, LADDERS),
    takeProfitR: pick(rng, [0, 1, 1.5, 2, 3, 4, 6]),
    shockAtrMult: pick(rng, [4, 6, 8, 1000]),
    shockMinPct: pick(rng, [0.5, 1, 2]),
    maxHoldMs: pick(rng, [2, 6, 12, 24, 48, 96].map((h) => h * HOUR).concat([0])),
  });
}
