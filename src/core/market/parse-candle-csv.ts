// Parses candle CSV text in the format of market-data/ (header
// `timestamp,open,high,low,close,volume`, open time in epoch ms, ascending). Pure: the caller
// reads the file. Bad rows are reported with their line number, never silently kept.
import type { Candle } from "./types";

export interface CandleCsvResult {
  candles: Candle[];
  /** interval between consecutive candles that occurs most often, ms (0 if < 2 rows) */
  intervalMs: number;
}

export class CandleCsvError extends Error {
  override name = "CandleCsvError";
}

const HEADER = ["timestamp", "open", "high", "low", "close", "volume"];

export function parseCandleCsv(text: string, source = "candles"): CandleCsvResult {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").trim().toLowerCase().split(",");
  if (HEADER.some((h, i) => header[i] !== h)) {
    throw new CandleCsvError(`${source}: line 1 must be the header "${HEADER.join(",")}", got "${lines[0] ?? ""}"`);
  }
  const candles: Candle[] = [];
  let prev = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const parts = line.split(",");
    if (parts.length < 6) throw new CandleCsvError(`${source}: line ${i + 1} has ${parts.length} fields, want 6`);
    const [t, o, h, l, c, v] = parts.map(Number) as [number, number, number, number, number, number];
    if (![t, o, h, l, c, v].every(Number.isFinite)) {
      throw new CandleCsvError(`${source}: line ${i + 1} has a value that is not a number: "${line}"`);
    }
    if (t <= prev) throw new CandleCsvError(`${source}: line ${i + 1}: timestamps must ascend (${t} after ${prev})`);
    if (h < Math.max(o, c, l) || l > Math.min(o, c) || l <= 0) {
      throw new CandleCsvError(`${source}: line ${i + 1}: inconsistent OHLC (high ${h}, low ${l}, open ${o}, close ${c})`);
    }
    prev = t;
    candles.push({ openTime: t, open: o, high: h, low: l, close: c, volume: v });
  }
  return { candles, intervalMs: dominantInterval(candles) };
}

function dominantInterval(candles: Candle[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < Math.min(candles.length, 1000); i++) {
    const d = candles[i]!.openTime - candles[i - 1]!.openTime;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, n] of counts) if (n > bestCount) [best, bestCount] = [d, n];
  return best;
}
