// The account cycle with the account view polled over REST (ACCOUNT_STREAM=false) against the
// simulator (real ccxt, real PostgreSQL): after a 429 the request-weight back-off holds every read
// until the venue's Retry-After. The cycle used to wait in that read (up to a minute) and nothing
// ran meanwhile; now a held read answers "no fresh view" at once, the cycle keeps running and
// reads again at a later cycle, and a position opened during the hold gets its stop once reads
// are released. Counted in cycles (account refreshes), never in time.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator, TEST_CREDENTIALS, waitUntil } from "../../sim/testing/test-simulator";
import { createLogger } from "../../src/server/logger";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { clientOrderIdFor } from "../exchange/client-order-id";
import { createExchange } from "../exchange/create-exchange";
import type { ExchangePort } from "../exchange/exchange-port";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import { startAccountSource, type AccountSource } from "./start-account-source";
import { startAccountCycle } from "./account-cycle";

const log = createLogger({ name: "account-cycle-polling-test", level: "fatal", file: null });
type Submit = Awaited<ReturnType<ExitOrderGateway["submit"]>>;

let t: TestDatabase;
let pool: pg.Pool;
let sim: RunningSimulator;
let port: ExchangePort;
let source: AccountSource;
let cycle: { stop(): Promise<void>; ready(): boolean } | undefined;
/** account refreshes asked for (one per cycle) and answered */
let asked = 0;
let answered = 0;

/** The gateway's part here: send as the port does (the gateway's own rules have their own tests). */
const gateway: Pick<ExitOrderGateway, "submit" | "cancel"> = {
  async submit(req) {
    const clientOrderId = clientOrderIdFor(req.decisionId);
    const decision = { allowed: true, reason: "test", ownershipConflict: false } as unknown as Submit["decision"];
    try {
      const o = await port.placeExitOrder(req, clientOrderId);
      return { outcome: "placed", clientOrderId, exchangeOrderId: o.id, decision, duplicateSuppressed: false } as Submit;
    } catch {
      return { outcome: "failed", clientOrderId, exchangeOrderId: null, decision, duplicateSuppressed: false } as Submit;
    }
  },
  async cancel() {
    return { outcome: "cancelled", error: null };
  },
};

function hasClosingStop(symbol: string): boolean {
  const amt = sim.sim.engine.book.amt(symbol);
  if (amt === 0) return false;
  return sim.sim.engine.openAlgos(symbol).some((a) => a.side === (amt > 0 ? "SELL" : "BUY") && a.orderType === "STOP_MARKET");
}

beforeAll(async () => {
  t = await createTestDatabase("acyclepoll");
  const { default: pgLib } = await import("pg");
  pool = new pgLib.Pool({ connectionString: t.url, max: 3 });
  sim = await startTestSimulator();
  const env = {
    EXCHANGE: "sim", SIM_URL: sim.url, SIM_PORT: 0, SIM_API_KEY: TEST_CREDENTIALS.apiKey, SIM_API_SECRET: TEST_CREDENTIALS.apiSecret,
    BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined,
  } as const;
  port = await createExchange(env);
  await port.loadMarkets();
  source = await startAccountSource({
    config: { ...env, ACCOUNT_STREAM: false, ACCOUNT_STREAM_GAP_MS: 5000, ACCOUNT_FULL_REFRESH_S: 600, REQUEST_WEIGHT_LIMIT_1M: 2400, REQUEST_WEIGHT_BACKOFF_PCT: 80 },
    exchange: port,
    prices: null,
    log,
  });
  const refresh = source.snapshot.refresh.bind(source.snapshot);
  source.snapshot.refresh = async () => {
    asked++;
    const r = await refresh();
    answered++;
    return r;
  };
  cycle = startAccountCycle({
    config: { ACCOUNT_REFRESH_MS: 100, LEGACY_INTERVAL_S: 0.1 },
    log, pool, db: t.db, exchange: port, snapshot: source.snapshot, gateway,
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

describe("account cycle, polling (ACCOUNT_STREAM=false)", () => {
  it("while a 429 holds REST reads the cycle keeps running (each held read answers at once), and reads again once they are released", async () => {
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
    await waitUntil(() => hasClosingStop("BTCUSDT"), "BTCUSDT's stop before the hold", 20_000);
    // One read answered 429 (Retry-After 8 s): the back-off holds every read until then.
    await admin(sim, "POST", "/admin/faults", { kind: "rate-limit", rate: 1, count: 1, path: "/fapi", method: "GET", retryAfterS: 8 });
    expect(await source.snapshot.refreshFromRest().catch(() => null)).toBeNull(); // the read that met the 429
    expect(source.snapshot.readsHeld()).toBe(true);
    await admin(sim, "POST", "/admin/position/open", { symbol: "ETHUSDT", side: "short", quantity: 0.5, leverage: 5 });
    // Cycles go on during the hold, every refresh answered (before: the first one waited out the hold).
    const from = answered;
    await waitUntil(() => answered - from >= 5 || !source.snapshot.readsHeld(), "5 cycles or the end of the hold", 20_000);
    expect(answered - from).toBeGreaterThanOrEqual(5);
    expect(source.snapshot.readsHeld()).toBe(true);
    expect(asked - answered).toBeLessThanOrEqual(1);
    // Released: a later cycle reads, sees the new position and protects it.
    await waitUntil(() => hasClosingStop("ETHUSDT"), "ETHUSDT's stop after the hold", 30_000);
    await admin(sim, "DELETE", "/admin/faults");
  });
});
