import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readCandleText } from "./read-candle-text";

const CSV = "timestamp,open,high,low,close,volume\n0,1,2,0.5,1.5,10\n";

describe("readCandleText", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "candle-text-"));

  it("reads plain CSV as it is", () => {
    const file = path.join(dir, "a.csv");
    writeFileSync(file, CSV);
    expect(readCandleText(file)).toBe(CSV);
  });

  it("decompresses gzip whatever the file is called", () => {
    const file = path.join(dir, "b.csv");
    writeFileSync(file, gzipSync(CSV));
    expect(readCandleText(file)).toBe(CSV);
  });

  it("names the file when a gzip file is damaged", () => {
    const file = path.join(dir, "c.csv.gz");
    writeFileSync(file, gzipSync(CSV).subarray(0, 12));
    expect(() => readCandleText(file)).toThrow(/c\.csv\.gz: looks gzip-compressed but cannot be decompressed/);
  });

  it("reads every bundled market-data file to the documented header", () => {
    const bundled = path.resolve(import.meta.dirname, "../../../market-data");
    const files = readdirSync(bundled).filter((f) => f.endsWith(".csv.gz"));
    expect(files).toHaveLength(8);
    for (const f of files) expect(readCandleText(path.join(bundled, f)).slice(0, 37), f).toBe("timestamp,open,high,low,close,volume\n");
  });
});
