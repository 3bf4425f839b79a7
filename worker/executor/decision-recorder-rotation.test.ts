// The shadow JSONL under rotation (issue 19): the current file keeps SHADOW_LOG_FILE's name and
// reads with the project's own reader (and, line by line, as pandas read_json(lines=True) needs).
import pino from "pino";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Decision } from "../../src/core/exit-brain";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { DecisionContext } from "../../src/core/decisions";
import { readShadowLog } from "../shadow/testing/read-shadow-log";
import { DecisionRecorder } from "./decision-recorder";

const log = pino({ level: "silent" });
const position: PositionSnapshot = { symbol: "BTCUSDT", side: "long", size: 1, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: null, unrealizedPnl: 1, openedAt: 1 };
const hold: Decision = { type: "hold", confidence: 0.5, reason: "Hold: no exit condition met" };
const move: Decision = { type: "move_sl", newSl: 98, slReason: "initial", confidence: 1, reason: "SL adjustment (initial): pnl=1.00%" };
const ctx = (decision: Decision, at: number, key = "BTCUSDT:long:1"): DecisionContext => ({ positionKey: key, position, decision, mode: "SHADOW", toggleVersion: 2, at });
const nullDb = { shadowDecision: { createMany: async () => ({ count: 0 }) } };

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe("DecisionRecorder with a rotated shadow log", () => {
  it("rotates at the size limit, keeps a bounded number of files, and the current file keeps the name and parses", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shadow-rotation-"));
    const file = path.join(dir, "exit_brain_shadow.jsonl");
    const r = new DecisionRecorder({ db: nullDb, log, file, holdSample: 1, flushMs: 60_000, flushRows: 50, rotation: { maxBytes: 20_000, interval: "1d", keep: 4 } });
    for (let i = 0; i < 2_000; i++) {
      r.record(ctx(i % 10 === 0 ? move : hold, 1_700_000_000_000 + i * 10_000));
      if (i % 50 === 49) await r.flush();
    }
    r.record(ctx(move, 1_800_000_000_000)); // one more, small write after the last rotation
    await r.stop();
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([1, 2, 3, 4].map((k) => `exit_brain_shadow.${k}.jsonl`).concat("exit_brain_shadow.jsonl"));
    const read = await readShadowLog(file);
    expect(read.skipped).toBe(0);
    expect(read.records.length).toBeGreaterThan(0);
    const text = await readFile(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    for (const line of text.split("\n").filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    for (const k of [1, 2, 3, 4]) expect((await readShadowLog(path.join(dir, `exit_brain_shadow.${k}.jsonl`))).skipped).toBe(0);
    // the newest decision is in the current file
    const last = text.trimEnd().split("\n").at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ timestamp: new Date(1_800_000_000_000).toISOString() });
  });

  it("under disk pressure holds are skipped (file and database), other decisions still recorded", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shadow-rotation-"));
    const file = path.join(dir, "exit_brain_shadow.jsonl");
    const rows: unknown[] = [];
    let low = true;
    const r = new DecisionRecorder({
      db: { shadowDecision: { createMany: async ({ data }: { data: unknown[] }) => rows.push(...data) } },
      log, file, holdSample: 1, flushMs: 60_000, flushRows: 500, rotation: { maxBytes: 1_000_000, interval: null, keep: 2 }, suppressOptional: () => low,
    });
    r.record(ctx(hold, 1));
    r.record(ctx(move, 2));
    low = false;
    r.record(ctx(hold, 3));
    await r.stop();
    expect(rows).toHaveLength(2);
    expect(r.stats.optionalSkipped).toBe(1);
    const read = await readShadowLog(file);
    expect(read.records.map((x) => x["decision.decision_type"])).toEqual(["move_sl", "hold"]);
  });
});
