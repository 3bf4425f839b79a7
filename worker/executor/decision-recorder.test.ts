import pino from "pino";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Decision } from "../../src/core/exit-brain";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { DecisionContext, ShadowDecisionRow } from "../../src/core/decisions";
import { DecisionRecorder } from "./decision-recorder";
import { INSERT_SHADOW_DECISIONS_SQL } from "./decision-recorder-sql";

const log = pino({ level: "silent" });
const position: PositionSnapshot = { symbol: "BTCUSDT", side: "long", size: 1, entryPrice: 100, markPrice: 101, leverage: 5, liquidationPrice: null, unrealizedPnl: 1, openedAt: 1 };
const hold: Decision = { type: "hold", confidence: 0.5, reason: "Hold: no exit condition met" };
const move: Decision = { type: "move_sl", newSl: 98, slReason: "initial", confidence: 1, reason: "SL adjustment (initial): pnl=1.00%" };
const ctx = (decision: Decision, mode: "SHADOW" | "LIVE" = "SHADOW", key = "BTCUSDT:long:1"): DecisionContext => ({ positionKey: key, position, decision, mode, toggleVersion: 2, at: 1_700_000_000_000 });

/** A stand-in for prisma.shadowDecision.createMany that can be told to fail. */
function fakeDb() {
  const batches: ShadowDecisionRow[][] = [];
  let failures = 0;
  return {
    batches,
    failNext(n: number) {
      failures = n;
    },
    db: {
      shadowDecision: {
        createMany: async ({ data }: { data: ShadowDecisionRow[] }) => {
          if (failures > 0) {
            failures--;
            throw new Error("database unreachable");
          }
          batches.push(data);
          return { count: data.length };
        },
      },
    },
  };
}

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe("DecisionRecorder", () => {
  it("drops holds buffered before the disk ran low at write time (file and database), keeps the rest", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "recorder-"));
    const file = path.join(dir, "shadow.jsonl");
    const f = fakeDb();
    let low = false;
    const r = new DecisionRecorder({ db: f.db, log, file, holdSample: 1, flushMs: 60_000, flushRows: 500, suppressOptional: () => low });
    r.record(ctx(hold));
    r.record(ctx(move));
    r.record(ctx(hold, "SHADOW", "ETHUSDT:short:1"));
    low = true; // the pressure becomes known between recording and writing
    await r.stop();
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as Record<string, unknown>)["decision.decision_type"])).toEqual(["move_sl"]);
    expect(f.batches.flat().map((x) => x.decisionType)).toEqual(["move_sl"]);
    expect(r.stats.optionalSkipped).toBe(2);
  });

  it("stores every decision in one batch, writes SHADOW ones to the file, samples holds per position", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "recorder-"));
    const file = path.join(dir, "nested", "shadow.jsonl");
    const f = fakeDb();
    const r = new DecisionRecorder({ db: f.db, log, file, holdSample: 3, flushMs: 60_000, flushRows: 500 });
    r.record(ctx(move));
    for (let i = 0; i < 6; i++) r.record(ctx(hold));
    r.record(ctx(hold, "SHADOW", "ETHUSDT:short:1"));
    r.record(ctx(move, "LIVE"));
    await r.stop();
    expect(f.batches).toHaveLength(1);
    expect(f.batches[0]!.map((x) => `${x.mode}:${x.decisionType}`)).toEqual([
      "SHADOW:move_sl", ...Array(6).fill("SHADOW:hold"), "SHADOW:hold", "LIVE:move_sl",
    ]);
    const lines = (await readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    // move + holds 1 and 4 of BTC (every 3rd) + the first ETH hold; no LIVE line
    expect(lines.map((l) => `${String(l.position_key)}:${String(l["decision.decision_type"])}`)).toEqual([
      "BTCUSDT:long:1:move_sl", "BTCUSDT:long:1:hold", "BTCUSDT:long:1:hold", "ETHUSDT:short:1:hold",
    ]);
    expect(r.stats).toMatchObject({ rowsWritten: 9, linesWritten: 4, writeFailures: 0 });
  });

  it("flushes by itself once flushRows rows are buffered", async () => {
    const f = fakeDb();
    const r = new DecisionRecorder({ db: f.db, log, file: null, holdSample: 1, flushMs: 60_000, flushRows: 3 });
    for (let i = 0; i < 3; i++) r.record(ctx(hold));
    await expect.poll(() => f.batches.length, { timeout: 2000 }).toBe(1);
    await r.stop();
  });

  it("keeps rows when the database write fails and writes them on the next flush", async () => {
    const f = fakeDb();
    f.failNext(1);
    const r = new DecisionRecorder({ db: f.db, log, file: null, holdSample: 0, flushMs: 60_000, flushRows: 500 });
    r.record(ctx(move));
    await r.flush();
    expect(f.batches).toHaveLength(0);
    r.record(ctx(hold));
    await r.stop();
    expect(f.batches.flat().map((x) => x.decisionType)).toEqual(["move_sl", "hold"]);
    expect(r.stats).toMatchObject({ rowsWritten: 2, writeFailures: 1 });
  });

  it("with a pool, writes each batch as one unnest INSERT (one array per column), at most maxBatchRows rows per statement", async () => {
    const statements: { sql: string; params: unknown[] }[] = [];
    const pool = { query: async (sql: string, params: unknown[]) => void statements.push({ sql, params }) };
    const f = fakeDb();
    const r = new DecisionRecorder({ db: f.db, pool, log, file: null, holdSample: 1, flushMs: 60_000, flushRows: 10_000, maxBatchRows: 4 });
    r.record(ctx(move));
    for (let i = 0; i < 8; i++) r.record(ctx(hold));
    await r.stop();
    expect(f.batches).toHaveLength(0);
    expect(statements.map((s) => (s.params[0] as unknown[]).length)).toEqual([4, 4, 1]);
    expect(statements[0]!.sql).toBe(INSERT_SHADOW_DECISIONS_SQL);
    expect(statements[0]!.sql).toMatch(/^INSERT INTO shadow_decision \(at, .*\) SELECT \* FROM unnest\(\$1::timestamptz\[\], /);
    const p = statements[0]!.params as unknown[][];
    expect(p).toHaveLength(18);
    expect(p[0]![0]).toBe(new Date(1_700_000_000_000).toISOString());
    expect(p.map((col) => col[0])).toEqual([
      "2023-11-14T22:13:20.000Z", "BTCUSDT:long:1", "BTCUSDT", "long", 1, 100, 101, 1, "move_sl", 1, move.reason, 98, "initial", null, null, null, "SHADOW", "2",
    ]);
    expect(r.stats).toMatchObject({ rowsWritten: 9, writeFailures: 0 });
  });

  it("with a pool, a failed statement keeps exactly the rows not yet stored and retries them first", async () => {
    const stored: string[] = [];
    let fail = 0;
    const pool = {
      query: async (_sql: string, params: unknown[]) => {
        if (fail > 0) {
          fail--;
          throw new Error("connection reset");
        }
        stored.push(...(params[1] as string[]));
      },
    };
    const r = new DecisionRecorder({ db: fakeDb().db, pool, log, file: null, holdSample: 1, flushMs: 60_000, flushRows: 10_000, maxBatchRows: 2 });
    for (let i = 0; i < 3; i++) r.record(ctx(hold, "SHADOW", `K${i}`));
    // the first statement (K0, K1) goes through, the second (K2) fails
    const realQuery = pool.query;
    let calls = 0;
    pool.query = async (sql, params) => {
      if (++calls === 2) fail = 1;
      return realQuery(sql, params);
    };
    await r.flush();
    expect(stored).toEqual(["K0", "K1"]);
    expect(r.buffered).toBe(1);
    r.record(ctx(hold, "SHADOW", "K3"));
    await r.stop();
    expect(stored).toEqual(["K0", "K1", "K2", "K3"]);
    expect(r.stats).toMatchObject({ rowsWritten: 4, writeFailures: 1, dropped: 0 });
  });

  it("sends the next batch while one write runs; with two running, later decisions wait in one growing batch", async () => {
    const sizes: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    const pool = {
      query: async (_sql: string, params: unknown[]) => {
        sizes.push((params[0] as unknown[]).length);
        if (sizes.length <= 2) await gate;
      },
    };
    const tick = () => new Promise((res) => setImmediate(res));
    const r = new DecisionRecorder({ db: fakeDb().db, pool, log, file: null, holdSample: 1, flushMs: 60_000, flushRows: 2 });
    r.record(ctx(hold));
    r.record(ctx(hold)); // reaches flushRows: the first write starts and blocks
    await tick();
    r.record(ctx(hold));
    r.record(ctx(hold)); // the second write starts while the first runs
    await tick();
    expect(sizes).toEqual([2, 2]);
    for (let i = 0; i < 10; i++) r.record(ctx(hold)); // both slots busy: one batch grows
    await tick();
    expect(sizes).toEqual([2, 2]);
    release();
    await r.stop();
    expect(sizes).toEqual([2, 2, 10]);
    expect(r.stats.rowsWritten).toBe(14);
  });
});
