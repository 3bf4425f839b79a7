import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CandleCsvError, parseCandleCsv } from "./parse-candle-csv";

const HEAD = "timestamp,open,high,low,close,volume\n";

describe("parseCandleCsv", () => {
  it("reads a bundled candle file", () => {
    const file = path.resolve(import.meta.dirname, "../../../market-data/XRPUSDT-5m-freqtrade.csv.gz");
    const { candles, intervalMs } = parseCandleCsv(gunzipSync(readFileSync(file)).toString("utf8"), file);
    expect(candles.length).toBe(1999);
    expect(intervalMs).toBe(300_000);
    expect(candles[0]).toEqual({ openTime: 1636934400000, open: 1.1893, high: 1.1954, low: 1.1891, close: 1.1941, volume: 9289043.5 });
  });

  it("names the line of a bad row", () => {
    expect(() => parseCandleCsv(`${HEAD}1,1,2,0.5,1.5,1\n2,1,x,0.5,1,1\n`)).toThrow(/line 3 .*not a number/);
    expect(() => parseCandleCsv(`${HEAD}2,1,2,0.5,1.5,1\n1,1,2,0.5,1,1\n`)).toThrow(/line 3: timestamps must ascend/);
    expect(() => parseCandleCsv(`${HEAD}1,1,0.9,0.5,1.5,1\n`)).toThrow(/inconsistent OHLC/);
    expect(() => parseCandleCsv(`time,o\n`)).toThrow(CandleCsvError);
  });
});
