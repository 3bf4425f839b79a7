// The batched attempt writer against real PostgreSQL: rows land exactly like insertAttempt's,
// a client order id seen before (or twice in one batch) is never stored twice, and the group
// commit resolves each caller with its own row.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { decideExitOrder } from "../../src/core/gateway/gateway-rules";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { AttemptBatchWriter, insertAttemptBatch } from "./attempt-batch-writer";
import { insertAttempt, type NewAttempt } from "../../worker/gateway/attempt-store";

let t: TestDatabase;
let pool: pg.Pool;

function attempt(id: string, over: Partial<ExitOrderRequest> = {}): NewAttempt {
  const req: ExitOrderRequest = {
    module: "exit_executor", kind: "sl", symbol: "BTCUSDT", positionSide: "long", side: "sell", orderType: "STOP_MARKET",
    quantity: 0.01, stopPrice: 20_000, reduceOnly: true, decisionId: `d-${id}`, ...over,
  };
  const decision = decideExitOrder(req, { state: "EXIT_BRAIN_V3_LIVE", confirmed: true });
  return { req, clientOrderId: `c-${id}`, decision, toggleVersion: 3, leaderEpoch: null, outcome: "pending" };
}

async function count(prefix: string): Promise<number> {
  const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM exit_order_attempt WHERE client_order_id LIKE $1`, [`${prefix}%`]);
  return Number(r.rows[0]!.n);
}

beforeAll(async () => {
  t = await createTestDatabase("attempt_batch");
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
});
afterAll(async () => {
  await pool.end();
  await t.drop();
});

describe("insertAttemptBatch", () => {
  it("stores every row of a batch with the same columns as insertAttempt", async () => {
    const batch = Array.from({ length: 50 }, (_, i) => attempt(`a${i}`, { stopPrice: i % 2 ? null : 100 + i, orderType: i % 2 ? "MARKET" : "STOP_MARKET" }));
    const stored = await insertAttemptBatch(pool, batch);
    expect(stored.every((s) => s.created)).toBe(true);
    expect(stored.map((s) => s.row.clientOrderId)).toEqual(batch.map((a) => a.clientOrderId));
    const one = await insertAttempt(pool, attempt("a-single"));
    const cols = `module, kind, symbol, side, position_side, order_type, reduce_only, operational_state, toggle_version, verdict, outcome`;
    const a = await pool.query(`SELECT ${cols} FROM exit_order_attempt WHERE client_order_id = 'c-a0'`);
    const b = await pool.query(`SELECT ${cols} FROM exit_order_attempt WHERE id = $1`, [one.row.id]);
    expect(a.rows[0]).toEqual(b.rows[0]);
    expect(await count("c-a")).toBe(51);
  });

  it("never stores a client order id twice: earlier rows and repeats inside a batch", async () => {
    await insertAttempt(pool, attempt("dup0"));
    const stored = await insertAttemptBatch(pool, [attempt("dup0"), attempt("dup1"), attempt("dup1"), attempt("dup2")]);
    expect(stored.map((s) => s.created)).toEqual([false, true, false, true]);
    expect(stored[1]!.row.id).toBe(stored[2]!.row.id);
    expect(await count("c-dup")).toBe(3);
  });
});

describe("AttemptBatchWriter", () => {
  it("resolves each concurrent caller with its own stored row, in few statements", async () => {
    const w = new AttemptBatchWriter(pool, { maxRows: 100 });
    const got = await Promise.all(Array.from({ length: 250 }, (_, i) => w.add(attempt(`g${i}`))));
    expect(got.map((s) => s.row.clientOrderId)).toEqual(Array.from({ length: 250 }, (_, i) => `c-g${i}`));
    expect(got.every((s) => s.created)).toBe(true);
    expect(await count("c-g")).toBe(250);
    const again = await w.add(attempt("g7"));
    expect(again.created).toBe(false);
    await w.flush();
  });
});
