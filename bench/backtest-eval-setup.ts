// The data and policies of the honest evaluation (docs/backtest-protocol.md): which file parts
// fit and which test, which finer files path which coarser ones, the random-walk controls, and
// the policies compared. Shared by bench/backtest-eval.ts, bench/backtest-tune.ts and
// bench/backtest.bench.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { EvalPart } from "../src/core/backtest/evaluation";
import { bracketFromHybrid, type BracketSpec } from "../src/core/backtest/path-policies";
import { randomWalkCandles, type WalkKind } from "../src/core/backtest/random-walk";
import { ExitBrainParamsSchema, type ExitBrainParams } from "../src/core/exit-brain/params";
import { defaultHybridTpslParams } from "../src/core/legacy/legacy-params";
import { parseCandleCsv } from "../src/core/market/parse-candle-csv";
import type { Candle } from "../src/core/market/types";
import { readCandleText } from "../src/server/market-data/read-candle-text";

export const DATA_DIR = process.env.CANDLES_DIR ?? path.resolve(import.meta.dirname, "../market-data");
export const FIT = 0.6;
export const FIT_FILES = ["BTCUSDT-5m-shinltp.csv.gz", "BTCUSDT-1m-alpergulsen.csv.gz"] as const;
export const OTHER_FILES = ["BTCUSDT-1h-nfi.csv.gz", "BTCUSDT-1m-tooyipjee.csv.gz", "BTCUSDT-5m-nfi.csv.gz", "ETHUSDT-5m-nfi.csv.gz", "SOLUSDT-5m-nfi.csv.gz", "XRPUSDT-5m-freqtrade.csv.gz"] as const;
/** coarse file -> the finer file of the same market that paths it where it covers it */
export const FINER: Readonly<Record<string, string>> = { "BTCUSDT-5m-nfi.csv.gz": "BTCUSDT-1m-tooyipjee.csv.gz", "BTCUSDT-1h-nfi.csv.gz": "BTCUSDT-5m-nfi.csv.gz" };
export const WARMUP = 60;
/** path model: largest step between two points, percent of price (see price-path.ts) */
export const MAX_STEP_PCT = 0.025;

interface Loaded {
  candles: Candle[];
  intervalMs: number;
}
const cache = new Map<string, Loaded>();
export function loadFile(file: string): Loaded {
  let hit = cache.get(file);
  if (!hit) {
    hit = parseCandleCsv(readCandleText(path.join(DATA_DIR, file)), file);
    cache.set(file, hit);
  }
  return hit;
}

export function part(file: string, from: number, to: number): EvalPart {
  const { candles, intervalMs } = loadFile(file);
  const a = Math.floor(candles.length * from);
  const b = Math.floor(candles.length * to);
  const finerFile = FINER[file];
  const finer = finerFile ? loadFile(finerFile) : undefined;
  return { name: from === 0 && to === 1 ? file : `${file}[${from}:${to}]`, candles: candles.slice(a, b), intervalMs, ...(finer ? { finer } : {}) };
}

export type DataSet = "fit" | "test";
type PartSpec = readonly [file: string, from: number, to: number];
function specsOf(set: DataSet): PartSpec[] {
  return set === "fit" ? FIT_FILES.map((f) => [f, 0, FIT] as const) : [...FIT_FILES.map((f) => [f, FIT, 1] as const), ...OTHER_FILES.map((f) => [f, 0, 1] as const)];
}
export function partCount(set: DataSet): number {
  return specsOf(set).length;
}
/** Part `index` of the set (loads only the files it needs). */
export function partAt(set: DataSet, index: number): EvalPart {
  const spec = specsOf(set)[index];
  if (!spec) throw new Error(`${set} has no part ${index}`);
  return part(...spec);
}
export function partsOf(set: DataSet): EvalPart[] {
  return specsOf(set).map((s) => part(...s));
}

/** One random-walk control: a martingale shaped like 5m BTC (0.2% per candle), 30 ticks per candle. */
export function walkPart(kind: WalkKind, w: number, candles = 20_000): EvalPart {
  {
    const seed = (kind === "gaussian" ? 1_000 : 2_000) + w;
    // each walk in its own years, so its days are its own blocks
    const startTime = Date.UTC(2100 + 2 * w + (kind === "gaussian" ? 0 : 100), 0, 1);
    const cs = randomWalkCandles({ kind, candles, intervalMs: 300_000, candleVol: 0.002, ticksPerCandle: 30, seed, startTime });
    return { name: `${kind} walk ${w + 1}`, candles: cs, intervalMs: 300_000 };
  }
}

const BracketSpecSchema = z.object({
  name: z.string(),
  unit: z.enum(["pct", "atr"]),
  stop: z.number().positive(),
  levels: z.array(z.object({ dist: z.number().positive(), fraction: z.number().gt(0).lte(1) })).min(1),
});
export const TunedSchema = z.object({
  protocol: z.string(),
  legacyPct: BracketSpecSchema,
  legacyAtr: BracketSpecSchema,
  brain: ExitBrainParamsSchema,
  fitScores: z.record(z.string(), z.number()),
});
export type Tuned = z.infer<typeof TunedSchema>;

export const TUNED_FILE = path.resolve(import.meta.dirname, "backtest-tuned.json");

export function loadTuned(file = TUNED_FILE): Tuned | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const r = TunedSchema.safeParse(JSON.parse(text));
  if (!r.success) throw new Error(`${file}: not a tuned-baseline file (${r.error.issues[0]?.message ?? "?"}); regenerate it with node --import tsx bench/backtest-tune.ts`);
  return r.data;
}

export const deployedLegacy: BracketSpec = bracketFromHybrid("legacy (deployed 1.5%/1.5%/3%)", defaultHybridTpslParams);
export type { ExitBrainParams };
