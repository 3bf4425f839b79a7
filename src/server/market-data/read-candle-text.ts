// Reads a candle file as text: plain CSV, or gzip-compressed CSV (the bundled files in
// market-data/ ship as .csv.gz to keep the clone small). Detected by the gzip magic bytes, not
// the name, so a renamed file still reads. Parsing stays in src/core/market/parse-candle-csv.ts.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function readCandleText(file: string): string {
  const bytes = readFileSync(file);
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes.toString("utf8");
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch (err) {
    throw new Error(`${file}: looks gzip-compressed but cannot be decompressed (${(err as Error).message}); download or copy it again`);
  }
}
