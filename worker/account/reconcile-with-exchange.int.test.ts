// A new leader's reconciliation against the simulator over HTTP and a real PostgreSQL: orphaned
// exit orders (no position) are cancelled through the gateway, but the snapshot it is handed may
// be stale: a stop of a position opened since is never taken for an orphan.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin } from "../../sim/testing/test-simulator";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { parseCeilings } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import { exitRequest, sendOnce } from "../exchange/testing/exit-request";
import { ExitOrderGateway } from "../gateway/exit-order-gateway";
import { reconcileWithExchange } from "./reconcile-with-exchange";
import { startSimTestWorld, type SimTestWorld } from "../exchange/testing/sim-test-world";

const log = createLogger({ name: "test", level: "silent", console: false });
let world: SimTestWorld | undefined;
let sim: RunningSimulator;
let port: ExchangePort;
let pool: pg.Pool;
let gateway: ExitOrderGateway;

beforeAll(async () => {
  world = await startSimTestWorld({ database: "reconcile", timeoutMs: 2_000 });
  ({ sim, port, pool } = world);
  gateway = new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log });
});
afterAll(async () => {
  await world?.close();
});

const stopsOn = (symbol: string) => sim.sim.engine.openAlgos(symbol).filter((a) => a.orderType === "STOP_MARKET").length;

describe("reconcileWithExchange", () => {
  it("never cancels the stop of a position the stale snapshot did not show; cancels a real orphan", async () => {
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.05, leverage: 5 });
    const price = sim.sim.feed.price("BTCUSDT");
    await sendOnce(port, exitRequest("recon-stop", { symbol: "BTCUSDT", positionSide: "long", orderType: "STOP_MARKET", quantity: 0.05, stopPrice: price * 0.9 }));
    const openOrders = await port.fetchOpenOrders("BTCUSDT");
    // A snapshot from before the position opened: its stop looks like an orphan.
    const stale = { at: Date.now() - 5_000, positions: [], openOrders };
    const kept = await reconcileWithExchange({ pool, port, gateway, log, leaderEpoch: null }, stale);
    expect(kept.orphansCancelled).toBe(0);
    expect(stopsOn("BTCUSDT")).toBe(1);

    await admin(sim, "POST", "/admin/position/close", { symbol: "BTCUSDT" });
    const orphan = { at: Date.now(), positions: [], openOrders: await port.fetchOpenOrders("BTCUSDT") };
    const done = await reconcileWithExchange({ pool, port, gateway, log, leaderEpoch: null }, orphan);
    expect(done.orphansCancelled).toBe(1);
    expect(stopsOn("BTCUSDT")).toBe(0);
  });
});
