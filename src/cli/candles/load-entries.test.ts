import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEntriesFile } from "./load-entries";

const dir = mkdtempSync(path.join(tmpdir(), "eb-entries-"));
const file = (name: string, text: string): string => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe("loadEntriesFile", () => {
  it("reads JSON (epoch ms or ISO) and CSV, sorted by time", () => {
    const json = file("a.json", JSON.stringify({ entries: [{ time: "2021-11-16T00:00:00Z", side: "short" }, { time: 1637000000000, side: "long" }] }));
    expect(loadEntriesFile(json)).toEqual([{ time: 1637000000000, side: "long" }, { time: Date.parse("2021-11-16T00:00:00Z"), side: "short" }]);
    expect(loadEntriesFile(file("b.csv", "timestamp,side\n1637000000000,LONG\n"))).toEqual([{ time: 1637000000000, side: "long" }]);
  });

  it("names the bad entry and says what is expected", () => {
    expect(() => loadEntriesFile(file("c.json", JSON.stringify([{ time: 1, side: "long" }, { time: "soon", side: "long" }])))).toThrow(/entry 1\.time: "soon" is neither epoch ms nor an ISO date/);
    expect(() => loadEntriesFile(file("d.json", JSON.stringify([{ time: 1, side: "up" }])))).toThrow(/entry 0\.side/);
    expect(() => loadEntriesFile(file("e.json", "{"))).toThrow(/not valid JSON/);
    expect(() => loadEntriesFile(file("f.csv", "time,dir\n"))).toThrow(/line 1 must be "timestamp,side"/);
    expect(() => loadEntriesFile(path.join(dir, "missing.json"))).toThrow(/cannot read it \(ENOENT\)/);
  });
});
