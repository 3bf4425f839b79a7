// The account cycle with the account view from the user-data stream, against the simulator (real
// ccxt, real WebSocket, real PostgreSQL for reconciliation and safety records): a position the
// stream shows opening gets a resting stop within a few cycles, also while the request-weight
// back-off holds REST reads after a 429 (until the venue's Retry-After, up to a minute). The
// cycle used to wait for its post-send REST read there, parked for the whole hold, and a position
// opened meanwhile stayed without a stop. Counted in cycles (account refreshes), never in time.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator, waitUntil } from "../../sim/testing/test-simulator";
import { createLogger } from "../../src/server/logger";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { clientOrderIdFor } from "../exchange/client-order-id";
import { createExchange } from "../exchange/create-exchange";
import type { ExchangePort } from "../exchange/exchange-port";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import { startAccountSource, type AccountSource } from "./start-account-source";
import { startAccountCycle } from "./account-cycle";
import { simExchangeEnv } from "../exchange/testing/sim-exchange";

const log = createLogger({ name: "account-cycle-test", level: "fatal", file: null });
/** a stop must rest on the venue within this many account cycles of the position opening */
const CYCLES = 10;

let t: TestDatabase;
let pool: pg.Pool;
let sim: RunningSimulator;
let port: ExchangePort;
let source: AccountSource;
let cycle: { stop(): Promise<void>; ready(): boolean } | undefined;
let cycles = 0;
let gatewaySends = 0;

/** The gateway's part here: send as the port does (the gateway's own rules have their own tests). */
const gateway: Pick<ExitOrderGateway, "submit" | "cancel"> = {
  async submit(req) {
    gatewaySends++;
    const clientOrderId = clientOrderIdFor(req.decisionId);
    const decision = { allowed: true, reason: "test", ownershipConflict: false } as unknown as Awaited<ReturnType<ExitOrderGateway["submit"]>>["decision"];
    try {
      const o = await port.placeExitOrder(req, clientOrderId);
      return { outcome: "placed", clientOrderId, exchangeOrderId: o.id, decision, duplicateSuppressed: false } as Awaited<ReturnType<ExitOrderGateway["submit"]>>;
    } catch {
      return { outcome: "failed", clientOrderId, exchangeOrderId: null, decision, duplicateSuppressed: false } as Awaited<ReturnType<ExitOrderGateway["submit"]>>;
    }
  },
  async cancel() {
    return { outcome: "cancelled", error: null };
  },
};

function hasClosingStop(symbol: string): boolean {
  const amt = sim.sim.engine.book.amt(symbol);
  if (amt === 0) return false;
  const closing = amt > 0 ? "SELL" : "BUY";
  return sim.sim.engine.openAlgos(symbol).some((a) => a.side === closing && a.orderType === "STOP_MARKET");
}

async function open(symbol: string, side: "long" | "short", quantity: number): Promise<void> {
  await admin(sim, "POST", "/admin/position/open", { symbol, side, quantity, leverage: 5 });
}

/** Waits, counting account cycles, until `symbol` has a resting stop or CYCLES cycles have run. */
async function stopWithinCycles(symbol: string): Promise<{ protected: boolean; cycles: number }> {
  const from = cycles;
  // The limit of the wait only ends a stuck test; the assertion is on cycles.
  await waitUntil(() => hasClosingStop(symbol) || cycles - from >= CYCLES, `a stop on ${symbol} or ${CYCLES} cycles`, 20_000);
  return { protected: hasClosingStop(symbol), cycles: cycles - from };
}

beforeAll(async () => {
  t = await createTestDatabase("acycle");
  const { default: pgLib } = await import("pg");
  pool = new pgLib.Pool({ connectionString: t.url, max: 3 });
  sim = await startTestSimulator();
  const env = simExchangeEnv(sim);
  port = await createExchange(env);
  await port.loadMarkets();
  source = await startAccountSource({
    config: { ...env, ACCOUNT_STREAM: true, ACCOUNT_STREAM_GAP_MS: 5000, ACCOUNT_FULL_REFRESH_S: 600, REQUEST_WEIGHT_LIMIT_1M: 2400, REQUEST_WEIGHT_BACKOFF_PCT: 80 },
    exchange: port,
    prices: null,
    log,
  });
  await waitUntil(() => !source.unconfirmed(), "the account view to be confirmed", 10_000);
  // Every cycle starts with one refresh of the view: counting them counts cycles.
  const refresh = source.snapshot.refresh.bind(source.snapshot);
  source.snapshot.refresh = () => {
    cycles++;
    return refresh();
  };
  cycle = startAccountCycle({
    config: { ACCOUNT_REFRESH_MS: 100, LEGACY_INTERVAL_S: 0.1 },
    log,
    pool,
    db: t.db,
    exchange: port,
    snapshot: source.snapshot,
    gateway,
    toggles: { view: () => ({ state: "LEGACY", version: 1 }) } as never,
    lease: { isLeader: () => true, currentEpoch: () => 1, on: () => undefined } as never,
  });
  await waitUntil(() => cycle!.ready(), "the cycle to reconcile", 10_000);
}, 60_000);

afterAll(async () => {
  await cycle?.stop();
  await source?.stop();
  await port?.close();
  await sim?.close();
  await pool?.end();
  await t?.drop();
});

describe("account cycle over the user-data stream", () => {
  it(`a position opened gets a resting stop within ${CYCLES} cycles`, async () => {
    await open("BTCUSDT", "long", 0.01);
    expect(await stopWithinCycles("BTCUSDT")).toMatchObject({ protected: true });
  });

  it("after a legacy module sends, the next one sees its orders from the stream's events: no full REST read, no second stop", async () => {
    const fullReads = (): number => sim.weights.stats().weightByEndpoint["GET /fapi/v1/openAlgoOrders"] ?? 0;
    const sent = (): number => gatewaySends;
    const before = { reads: fullReads(), sends: sent() };
    await open("XRPUSDT", "long", 100);
    expect(await stopWithinCycles("XRPUSDT")).toMatchObject({ protected: true });
    // Both modules decided on the position (the second one after the first one's orders were seen).
    const from = cycles;
    await waitUntil(() => cycles - from >= CYCLES, `${CYCLES} more cycles`, 20_000);
    expect(sent() - before.sends).toBeGreaterThan(1);
    // One closing stop however many modules ran: each saw the others' orders before deciding.
    const amt = sim.sim.engine.book.amt("XRPUSDT");
    expect(sim.sim.engine.openAlgos("XRPUSDT").filter((a) => a.side === (amt > 0 ? "SELL" : "BUY") && a.orderType === "STOP_MARKET")).toHaveLength(1);
    // Not one open-algo-orders read (the full REST read's part) while the stream was confirmed.
    expect(fullReads()).toBe(before.reads);
  });

  it(`while a 429 holds REST reads (Retry-After 30 s), a position opened still gets a resting stop within ${CYCLES} cycles`, async () => {
    // One read answered 429: the request-weight back-off holds every read for 30 s.
    await admin(sim, "POST", "/admin/faults", { kind: "rate-limit", rate: 1, count: 1, path: "/fapi", method: "GET", retryAfterS: 30 });
    expect(await source.snapshot.refreshFromRest()).toBeNull();
    // A position whose stop the cycle sends (its post-send read is held), then one opened after.
    await open("ETHUSDT", "short", 0.5);
    expect(await stopWithinCycles("ETHUSDT")).toMatchObject({ protected: true });
    await open("SOLUSDT", "long", 10);
    expect(await stopWithinCycles("SOLUSDT")).toMatchObject({ protected: true });
    await admin(sim, "DELETE", "/admin/faults");
  });
});
