// Left-over exit orders of closed positions against the simulator (real ccxt over HTTP, the real
// gateway on a real PostgreSQL), in one-way and hedge mode, with Binance's MAX_NUM_ALGO_ORDERS (10
// per symbol): positions on one symbol opened and closed one after another, each with a stop and a
// take-profit, reach -4045 on the sixth without the cleanup and never with it. The cleanup cancels
// only the product's orders (client order id prefix), only after the grace period and a REST read
// still showing the position flat, never while the view is unconfirmed, never the other side's
// orders in hedge mode, never those of a position that reopened. The clock of the grace period is
// the test's; everything else is real.
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { parseCeilings, resolveOperationalState, type OperationalState } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { readStoredToggles } from "../../src/server/db/toggle-row";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, resetAccount, type TestPositionMode } from "../../sim/testing/test-simulator";
import type { TestDatabase } from "../../test/test-database";
import type { ExchangePort } from "../exchange/exchange-port";
import { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { AccountSnapshot } from "./exchange-snapshot";
import { LeftoverStops } from "./leftover-stops";
import { startSimTestWorld, type SimTestWorld } from "../exchange/testing/sim-test-world";

const log = createLogger({ name: "test", level: "silent", console: false });
const GRACE_MS = 10_000;
const BINANCE_MAX_ALGO = 10;

let t: TestDatabase;
let world: SimTestWorld | undefined;
let sim: RunningSimulator;
let port: ExchangePort;
let pool: pg.Pool;
let gateway: ExitOrderGateway;
let under: { state: OperationalState; toggleVersion: number | null };
let clock = 1_000_000;
let seq = 0;

/** The account's view (one symbol's reads: weight 7, not the ~85 of the account-wide ones, so the many passes stay far from the limit). */
async function account(): Promise<AccountSnapshot> {
  return { at: Date.now(), positions: await port.fetchPositions(["BTCUSDT"]), openOrders: await port.fetchOpenOrders("BTCUSDT") };
}

function exitOrder(symbol: string, side: "long" | "short", kind: "sl" | "tp", quantity: number, price: number): ExitOrderRequest {
  seq++;
  return {
    module: "position_monitor", kind, symbol, positionSide: side, side: side === "long" ? "sell" : "buy",
    orderType: kind === "sl" ? "STOP_MARKET" : "TAKE_PROFIT_MARKET", quantity, positionSize: quantity, stopPrice: price, reduceOnly: true,
    decisionId: `leftover-test:${symbol}:${side}:${kind}:${seq}:${Date.now()}`,
  };
}

/** Opens `side` on BTCUSDT (50,000) and places its stop and take-profit through the gateway; the outcomes. */
async function openProtected(side: "long" | "short"): Promise<string[]> {
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side, quantity: 0.01, leverage: 5 });
  const [sl, tp] = side === "long" ? [49_000, 51_000] : [51_000, 49_000];
  const out: string[] = [];
  for (const [kind, price] of [["sl", sl], ["tp", tp]] as const) out.push((await gateway.submit(exitOrder("BTCUSDT", side, kind, 0.01, price), under)).outcome);
  return out;
}

async function close(side: "long" | "short", mode: TestPositionMode): Promise<void> {
  await admin(sim, "POST", "/admin/position/close", { symbol: "BTCUSDT", ...(mode === "hedge" ? { positionSide: side === "long" ? "LONG" : "SHORT" } : {}) });
}

/** Two passes of the cleanup over a fresh view, the grace period apart (as the account cycle runs it). */
async function cleanupPasses(cleanup: LeftoverStops, confirmed = true): Promise<number> {
  const first = await cleanup.run(await account(), { confirmed, leaderEpoch: null });
  clock += GRACE_MS;
  return first + (await cleanup.run(await account(), { confirmed, leaderEpoch: null }));
}

const resting = (positionSide?: "LONG" | "SHORT") =>
  sim.sim.engine.openAlgos("BTCUSDT").filter((a) => a.algoStatus === "NEW" && (positionSide === undefined || a.positionSide === positionSide));

describe.each(["one-way", "hedge"] as const satisfies readonly TestPositionMode[])("left-over exit orders (%s position mode)", (mode) => {
  beforeAll(async () => {
    world = await startSimTestWorld({ database: mode === "hedge" ? "leftover_h" : "leftover", mode, timeoutMs: 3000, maxAlgoOrdersPerSymbol: BINANCE_MAX_ALGO });
    ({ t, sim, port, pool } = world);
    expect(await port.fetchPositionMode()).toBe(mode);
    gateway = new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, backoffMs: 20, maxTries: 1 });
    const stored = (await readStoredToggles(t.db))!;
    under = { state: resolveOperationalState({ stored: stored.toggles, ceilings: {} }).operationalState, toggleVersion: stored.version };
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    await resetAccount(sim, mode);
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 50_000 });
  });

  it("positions opened and closed one after another: -4045 on the sixth without the cleanup, never with it", async () => {
    // Without: every closed position leaves its stop and take-profit; the 11th conditional order is refused.
    const without: string[] = [];
    for (let i = 0; i < 6; i++) {
      without.push(...(await openProtected("long")));
      await close("long", mode);
    }
    expect(without.slice(0, 10).every((o) => o === "placed")).toBe(true);
    expect(without.slice(10)).toEqual(["rejected", "rejected"]);
    expect((await admin<{ rejections: { code: number }[] }>(sim, "GET", "/admin/orders")).rejections.map((r) => r.code)).toContain(-4045);

    await resetAccount(sim, mode);
    const cleanup = new LeftoverStops({ port, gateway, log, graceMs: GRACE_MS, now: () => clock });
    const withIt: string[] = [];
    for (let i = 0; i < 8; i++) {
      withIt.push(...(await openProtected("long")));
      await close("long", mode);
      expect(await cleanupPasses(cleanup)).toBe(2);
      expect(resting()).toEqual([]);
    }
    expect(withIt.every((o) => o === "placed")).toBe(true);
  });

  it("leaves a trader's own stop, does nothing while the view is unconfirmed, and nothing before the grace period", async () => {
    await openProtected("long");
    // A trader's own reduce-only stop, not placed through the gateway (no eb- prefix).
    await port.placeExitOrder(exitOrder("BTCUSDT", "long", "sl", 0.01, 48_000), "manual-stop-1");
    await close("long", mode);
    const cleanup = new LeftoverStops({ port, gateway, log, graceMs: GRACE_MS, now: () => clock });
    expect(await cleanupPasses(cleanup, false)).toBe(0);
    expect(resting()).toHaveLength(3);
    // Confirmed again: the grace period starts then.
    expect(await cleanup.run(await account(), { confirmed: true, leaderEpoch: null })).toBe(0);
    clock += GRACE_MS - 1;
    expect(await cleanup.run(await account(), { confirmed: true, leaderEpoch: null })).toBe(0);
    clock += 1;
    expect(await cleanup.run(await account(), { confirmed: true, leaderEpoch: null })).toBe(2);
    expect(resting().map((a) => a.clientAlgoId)).toEqual(["manual-stop-1"]);
  });

  it("a position that reopened before the cancel (the view not caught up yet): nothing cancelled", async () => {
    await openProtected("long");
    await close("long", mode);
    const cleanup = new LeftoverStops({ port, gateway, log, graceMs: GRACE_MS, now: () => clock });
    const flatView = await account();
    expect(await cleanup.run(flatView, { confirmed: true, leaderEpoch: null })).toBe(0);
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
    clock += GRACE_MS;
    // The same (stale) flat view: the REST read before cancelling sees the position again.
    expect(await cleanup.run(flatView, { confirmed: true, leaderEpoch: null })).toBe(0);
    expect(cleanup.counts.reopened).toBe(1);
    expect(resting()).toHaveLength(2);
  });

  if (mode === "hedge") {
    it("hedge mode: the LONG closed, the SHORT open on the same symbol: only the LONG's orders are cancelled", async () => {
      await openProtected("long");
      await openProtected("short");
      await close("long", mode);
      const cleanup = new LeftoverStops({ port, gateway, log, graceMs: GRACE_MS, now: () => clock });
      expect(await cleanupPasses(cleanup)).toBe(2);
      expect(resting("LONG")).toEqual([]);
      expect(resting("SHORT")).toHaveLength(2);
    });
  }
});
