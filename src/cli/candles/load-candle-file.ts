// Reads one candle CSV file for backtest/tune (edge: file I/O here, parsing in core).
import { statSync } from "node:fs";
import path from "node:path";
import { CandleCsvError, parseCandleCsv } from "../../core/market/parse-candle-csv";
import type { Candle } from "../../core/market/types";
import { readCandleText } from "../../server/market-data/read-candle-text";
import { CliError } from "../cli-context";

export interface CandleFile {
  readonly file: string;
  readonly name: string;
  readonly candles: Candle[];
  readonly intervalMs: number;
}

/** Bad input to backtest/tune: exit code 2, as documented ("refused or bad input"). */
export class CliInputError extends CliError {
  override name = "CliInputError";
  constructor(message: string) {
    super(message, 2);
  }
}

export function loadCandleFile(file: string): CandleFile {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new CliInputError(`--candles ${file}: not a file`);
    text = readCandleText(file);
  } catch (err) {
    if (err instanceof CliInputError) throw err;
    throw new CliInputError(`--candles ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); pass a candle CSV (or .csv.gz) path such as market-data/BTCUSDT-5m-nfi.csv.gz`);
  }
  try {
    const { candles, intervalMs } = parseCandleCsv(text, file);
    if (candles.length < 50) throw new CliInputError(`--candles ${file}: only ${candles.length} candles; a backtest needs at least 50`);
    return { file, name: path.basename(file), candles, intervalMs };
  } catch (err) {
    if (err instanceof CandleCsvError) throw new CliInputError(err.message);
    throw err;
  }
}

/** "0.6:1" -> the candles from 60% to the end. */
export function sliceCandles(c: CandleFile, from: number, to: number): CandleFile {
  const a = Math.floor(c.candles.length * from);
  const b = Math.floor(c.candles.length * to);
  return { ...c, name: `${c.name}[${from}:${to}]`, candles: c.candles.slice(a, b) };
}
