// The account cycle with the account view from the user-data stream, against the simulator (real
// ccxt, real WebSocket, real PostgreSQL for reconciliation and safety records): a position the
// stream shows opening gets a resting stop within a few cycles, also while the request-weight
// back-off holds REST reads after a 429 (until the venue's Retry-After, up to a minute). The
// cycle used to wait for its post-send REST read there, parked for the whole hold, and a position
// opened meanwhile stayed without a stop. Counted in cycles (account refreshes), never in time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, waitUntil } from "../../sim/testing/test-simulator";
import { startAccountCycleWorld, type AccountCycleWorld } from "./testing/account-cycle-world";

/** a stop must rest on the venue within this many account cycles of the position opening */
const CYCLES = 10;

let w: AccountCycleWorld;
const cycles = (): number => w.counts.asked;

/** Waits, counting account cycles, until `symbol` has a resting stop or CYCLES cycles have run. */
async function stopWithinCycles(symbol: string): Promise<{ protected: boolean; cycles: number }> {
  const from = cycles();
  // The limit of the wait only ends a stuck test; the assertion is on cycles.
  await waitUntil(() => w.hasClosingStop(symbol) || cycles() - from >= CYCLES, `a stop on ${symbol} or ${CYCLES} cycles`, 20_000);
  return { protected: w.hasClosingStop(symbol), cycles: cycles() - from };
}

beforeAll(async () => {
  w = await startAccountCycleWorld({ name: "acycle", stream: true });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe("account cycle over the user-data stream", () => {
  it(`a position opened gets a resting stop within ${CYCLES} cycles`, async () => {
    await w.open("BTCUSDT", "long", 0.01);
    expect(await stopWithinCycles("BTCUSDT")).toMatchObject({ protected: true });
  });

  it("after a legacy module sends, the next one sees its orders from the stream's events: no full REST read, no second stop", async () => {
    const fullReads = (): number => w.sim.weights.stats().weightByEndpoint["GET /fapi/v1/openAlgoOrders"] ?? 0;
    const sent = (): number => w.counts.sends;
    const before = { reads: fullReads(), sends: sent() };
    await w.open("XRPUSDT", "long", 100);
    expect(await stopWithinCycles("XRPUSDT")).toMatchObject({ protected: true });
    // Both modules decided on the position (the second one after the first one's orders were seen).
    const from = cycles();
    await waitUntil(() => cycles() - from >= CYCLES, `${CYCLES} more cycles`, 20_000);
    expect(sent() - before.sends).toBeGreaterThan(1);
    // One closing stop however many modules ran: each saw the others' orders before deciding.
    const amt = w.sim.sim.engine.book.amt("XRPUSDT");
    expect(w.sim.sim.engine.openAlgos("XRPUSDT").filter((a) => a.side === (amt > 0 ? "SELL" : "BUY") && a.orderType === "STOP_MARKET")).toHaveLength(1);
    // Not one open-algo-orders read (the full REST read's part) while the stream was confirmed.
    expect(fullReads()).toBe(before.reads);
  });

  it(`while a 429 holds REST reads (Retry-After 30 s), a position opened still gets a resting stop within ${CYCLES} cycles`, async () => {
    // One read answered 429: the request-weight back-off holds every read for 30 s.
    await admin(w.sim, "POST", "/admin/faults", { kind: "rate-limit", rate: 1, count: 1, path: "/fapi", method: "GET", retryAfterS: 30 });
    expect(await w.source.snapshot.refreshFromRest()).toBeNull();
    // A position whose stop the cycle sends (its post-send read is held), then one opened after.
    await w.open("ETHUSDT", "short", 0.5);
    expect(await stopWithinCycles("ETHUSDT")).toMatchObject({ protected: true });
    await w.open("SOLUSDT", "long", 10);
    expect(await stopWithinCycles("SOLUSDT")).toMatchObject({ protected: true });
    await admin(w.sim, "DELETE", "/admin/faults");
  });
});
