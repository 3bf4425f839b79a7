// Loads the simulator's replay series from candle CSV files (the format of market-data/), one symbol
// per file; the symbol is the file name up to the first "-" or "_" (BTCUSDT-5m.csv → BTCUSDT).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCandleCsv } from "../../src/core/market/parse-candle-csv";
import { readCandleText } from "../../src/server/market-data/read-candle-text";
import { ReplaySeries } from "./candle-series";

export const DEFAULT_CANDLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../data");
export const DEFAULT_CANDLE_FILES = ["BTCUSDT-5m.csv", "ETHUSDT-5m.csv", "SOLUSDT-5m.csv", "XRPUSDT-5m.csv"].map((f) =>
  path.join(DEFAULT_CANDLE_DIR, f),
);

export function symbolFromFile(file: string): string {
  const symbol = path.basename(file).split(/[-_.]/)[0]!.toUpperCase();
  if (!/^[A-Z0-9]{2,20}USDT$/.test(symbol)) {
    throw new Error(`${file}: cannot tell the symbol; name candle files like BTCUSDT-5m.csv (a USDT pair first)`);
  }
  return symbol;
}

export function loadReplaySeries(file: string): ReplaySeries {
  let text: string;
  try {
    text = readCandleText(file);
  } catch (err) {
    throw new Error(`cannot read candle file ${file}: ${(err as Error).message}`);
  }
  const { candles, intervalMs } = parseCandleCsv(text, file);
  if (candles.length < 2 || intervalMs <= 0) throw new Error(`${file}: need at least 2 candles at a regular interval`);
  return new ReplaySeries(symbolFromFile(file), intervalMs, candles);
}
