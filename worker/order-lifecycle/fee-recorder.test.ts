// The fee recorder's bookkeeping (the stream against the simulator is in record-lifecycle.int):
// fills of one order add up, a trade seen twice counts once, and a stop's fee reaches its row
// whether ALGO_UPDATE (naming the order it placed) comes before or after that order's fill.
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { parseUserDataEvent } from "../../src/core/account/user-data-events";
import { createLogger } from "../../src/server/logger";
import { FeeRecorder } from "./fee-recorder";

const log = createLogger({ name: "test", level: "silent", console: false });

function recorder() {
  const writes: [string, number, string | null][] = [];
  const pool = { query: async (_sql: string, p: [string, number, string | null]) => (writes.push(p), { rowCount: 1 }) } as unknown as pg.Pool;
  return { fees: new FeeRecorder(pool, log), writes };
}

const fill = (c: string, i: number, t: number, n: string) =>
  parseUserDataEvent({ e: "ORDER_TRADE_UPDATE", E: 1, T: 1, o: { s: "BTCUSDT", c, S: "SELL", o: "MARKET", q: "0.02", ap: "50000", sp: "0", X: "FILLED", i, z: "0.02", T: 1, R: false, ps: "BOTH", n, N: "USDT", t } });
const algo = (caid: string, ai: number | string) =>
  parseUserDataEvent({ e: "ALGO_UPDATE", E: 1, T: 1, o: { caid, aid: 9, o: "STOP_MARKET", s: "BTCUSDT", S: "SELL", ps: "BOTH", q: "0.02", X: "TRIGGERED", ai } });

describe("FeeRecorder", () => {
  it("adds up an order's fills, counting a repeated trade once", async () => {
    const { fees, writes } = recorder();
    fees.observe(fill("eb-close", 7, 100, "0.2"));
    fees.observe(fill("eb-close", 7, 101, "0.2"));
    fees.observe(fill("eb-close", 7, 101, "0.2")); // the same trade again
    await fees.flushed();
    expect(fees.feeOf("eb-close")).toEqual({ fee: 0.4, asset: "USDT" });
    expect(writes.at(-1)).toEqual(["eb-close", 0.4, "USDT"]);
  });

  it("a stop's fee reaches its own row, whichever of the two events comes first", async () => {
    for (const order of ["algo first", "fill first"] as const) {
      const { fees, writes } = recorder();
      const events = [algo("eb-stop", 42), fill("algo-42", 42, 5, "0.39")];
      for (const e of order === "algo first" ? events : events.reverse()) fees.observe(e);
      await fees.flushed();
      expect(fees.feeOf("eb-stop"), order).toEqual({ fee: 0.39, asset: "USDT" });
      expect(writes, order).toContainEqual(["eb-stop", 0.39, "USDT"]);
    }
  });

  it("an order without a commission, and an algo not yet triggered, write nothing", async () => {
    const { fees, writes } = recorder();
    fees.observe(algo("eb-stop", ""));
    fees.observe(parseUserDataEvent({ e: "ORDER_TRADE_UPDATE", E: 1, T: 1, o: { s: "BTCUSDT", c: "x", S: "SELL", o: "MARKET", q: "1", ap: "0", sp: "0", X: "NEW", i: 3, z: "0", T: 1, R: false, ps: "BOTH" } }));
    await fees.flushed();
    expect(writes).toEqual([]);
    expect(fees.feeOf("x")).toBeNull();
  });
});
