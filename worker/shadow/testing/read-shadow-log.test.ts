import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toShadowLogLine, type DecisionContext } from "../../../src/core/decisions/shadow-record";
import { describeRead, parseShadowLog, readShadowLog } from "./read-shadow-log";

const ctx = (i: number): DecisionContext => ({
  positionKey: `BTCUSDT:long:${i}`,
  position: { symbol: "BTCUSDT", side: "long", size: 1, entryPrice: 100, markPrice: 101 + i, leverage: 10, liquidationPrice: null, unrealizedPnl: 0, openedAt: 1 },
  decision: { type: "hold", confidence: 0.5, reason: "Holding: within normal range" },
  mode: "SHADOW",
  toggleVersion: 3,
  at: Date.UTC(2025, 0, 1, 0, i),
});

const good = [0, 1, 2, 3].map((i) => toShadowLogLine(ctx(i)));
const corrupted = [
  good[0],
  good[1]!.slice(0, 40), // truncated by a crash mid-write
  good[2],
  good[2]!.replace('"hold"', '"panic"'), // not a known decision type
  "",
  "not json at all",
  JSON.stringify({ symbol: "BTCUSDT" }), // JSON, but not a record
  good[3],
].join("\n");

describe("read-shadow-log", () => {
  it("reads every good line and skips and counts each corrupted one, with line numbers and reasons", () => {
    const r = parseShadowLog(corrupted);
    expect(r.records.map((x) => x.position_key)).toEqual(["BTCUSDT:long:0", "BTCUSDT:long:2", "BTCUSDT:long:3"]);
    expect(r.skipped).toBe(4);
    expect(r.examples.map((e) => e.line)).toEqual([2, 4, 6, 7]);
    expect(r.examples[0]!.reason).toMatch(/^not JSON/);
    expect(r.examples[1]!.reason).toMatch(/^not a shadow record: decision\.decision_type/);
    expect(describeRead(r)).toMatch(/^3 records read; 4 lines skipped \(first: line 2, not JSON/);
  });

  it("a clean log skips nothing; the file reader gives the same result as the text parser", async () => {
    expect(parseShadowLog(good.join("\n") + "\n")).toMatchObject({ skipped: 0, examples: [] });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "eb-shadow-")), "shadow.jsonl");
    writeFileSync(file, corrupted);
    expect(await readShadowLog(file)).toEqual(parseShadowLog(corrupted));
  });
});
