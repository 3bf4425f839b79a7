// The account view from the user-data stream, with real ccxt (REST: positions, open orders, open
// algo orders, listen keys) and a real WebSocket against the in-process simulator: events applied
// without REST, a silent stream → unconfirmed → the executor's toggles SHADOW, a dropped socket →
// reconnect → REST refresh (which finds what changed while it was down), listen-key expiry and a
// keep-alive of a key that is gone → a new key.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlgoOrder } from "../../sim/engine/order-types";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator, waitUntil } from "../../sim/testing/test-simulator";
import { createLogger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import type { StreamClient } from "../exchange/stream-endpoints";
import { UserDataStream } from "../exchange/user-data-stream";
import { demoteWhileWritesRefused } from "../retention/write-refusal-toggles";
import type { ToggleView } from "../toggles/toggle-watcher";
import { AccountStream } from "./account-stream";
import { connectSimExchange, connectSimStreamClient } from "../exchange/testing/sim-exchange";

const GAP_MS = 1500;
let sim: RunningSimulator;
let port: ExchangePort;
let client: StreamClient;
let userData: UserDataStream;
let account: AccountStream;
const keepAlives: string[] = [];
const log = createLogger({ name: "account-stream-test", level: "fatal", file: null });

beforeAll(async () => {
  sim = await startTestSimulator();
  port = await connectSimExchange(sim);
  await port.loadMarkets();
  client = await connectSimStreamClient(sim);
  const api = { ...client.listenKeys, keepAlive: (k: string) => (keepAlives.push(k), client.listenKeys.keepAlive(k)) };
  userData = new UserDataStream(api, { pingMs: 200, gapMs: GAP_MS, keepAliveMs: 500, initialBackoffMs: 50, maxBackoffMs: 200 });
  account = new AccountStream(port, userData, log, { gapMs: GAP_MS, fullRefreshMs: 600_000, checkMs: 50 });
  account.start();
  await waitUntil(() => account.confirmation().confirmed, "the account view to be confirmed", 10_000);
});

afterAll(async () => {
  await account?.stop();
  await client?.close();
  await port?.close();
  await sim?.close();
});

afterEach(async () => {
  // Every test leaves the stream healthy for the next.
  await waitUntil(() => account.confirmation().confirmed, "the account view to be confirmed again", 15_000);
});

function view() {
  const v = account.current();
  if (!v) throw new Error("no account view yet");
  return v;
}

describe("AccountStream over ccxt and the simulator's user-data stream", () => {
  it("applies ACCOUNT_UPDATE, ALGO_UPDATE and ORDER_TRADE_UPDATE events without reading REST", async () => {
    const refreshes = account.counts.restRefreshes;
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
    await waitUntil(() => view().positions.get("BTCUSDT|long")?.size === 0.01, "the new position in the view");
    // Its leverage and liquidation price come from one positionRisk read of the symbol.
    await waitUntil(() => view().positions.get("BTCUSDT|long")?.liquidationPrice != null, "the position's liquidation price");
    expect(view().positions.get("BTCUSDT|long")?.leverage).toBe(5);

    const price = sim.sim.feed.price("BTCUSDT");
    const stop = sim.sim.engine.submit({
      symbol: "BTCUSDT", side: "SELL", type: "STOP_MARKET", triggerPrice: Math.round(price * 0.9), closePosition: true, clientOrderId: "stream-stop-1", source: "admin",
    }) as AlgoOrder;
    await waitUntil(() => [...view().orders.values()].some((o) => o.clientOrderId === "stream-stop-1"), "the stop in the view");
    sim.sim.engine.submit({
      symbol: "BTCUSDT", side: "SELL", type: "LIMIT", price: Math.round(price * 1.2), quantity: 0.005, reduceOnly: true, clientOrderId: "stream-tp-1", source: "admin",
    });
    await waitUntil(() => [...view().orders.values()].some((o) => o.clientOrderId === "stream-tp-1"), "the limit order in the view");
    expect(account.counts.restRefreshes).toBe(refreshes);

    // The stream's orders and REST's are the same orders (same keys): a refresh changes nothing.
    const before = [...view().orders.keys()].sort();
    expect(await account.refreshFromRest("test")).toBe(true);
    expect([...view().orders.keys()].sort()).toEqual(before);
    expect(view().orders.get(`algo|BTCUSDT|${stop.algoId}`)).toMatchObject({ status: "open", algoStatus: "NEW", closePosition: true, reduceOnly: true, side: "sell" });

    sim.sim.engine.cancelAlgo("BTCUSDT", { algoId: stop.algoId });
    sim.sim.engine.cancelOrder("BTCUSDT", { clientOrderId: "stream-tp-1" });
    await waitUntil(() => view().orders.size === 0, "the cancelled orders to leave the view");
    await admin(sim, "POST", "/admin/position/close", { symbol: "BTCUSDT" });
    await waitUntil(() => view().positions.size === 0, "the closed position to leave the view");
  });

  it("a silent stream makes the account unconfirmed, and the executor's toggles SHADOW, until it answers again", async () => {
    const live: ToggleView = { state: "EXIT_BRAIN_V3_LIVE", confirmed: true, version: 3, resolution: null, stored: null, confirmedAt: Date.now() };
    const toggles = { view: () => live, on: () => toggles, off: () => toggles } as unknown as Parameters<typeof demoteWhileWritesRefused>[0];
    const executorToggles = demoteWhileWritesRefused(toggles, () => !account.confirmation().confirmed);
    expect(executorToggles.view().state).toBe("EXIT_BRAIN_V3_LIVE");
    const refreshes = account.counts.restRefreshes;
    const stallMs = GAP_MS * 2;
    const stallEnds = Date.now() + stallMs;
    await admin(sim, "POST", "/admin/user-stream/stall", { ms: stallMs });
    await waitUntil(() => !account.confirmation().confirmed, "the account to become unconfirmed", 10_000);
    expect(account.confirmation().reason).toMatch(/silent|disconnected|waiting for the REST refresh/);
    expect(executorToggles.view()).toMatchObject({ state: "EXIT_BRAIN_V3_SHADOW", confirmed: false });
    await waitUntil(() => account.confirmation().confirmed, "the account to be confirmed again", 15_000);
    expect(executorToggles.view().state).toBe("EXIT_BRAIN_V3_LIVE");
    // It came back through a new connection and a REST refresh.
    expect(account.counts.restRefreshes).toBeGreaterThan(refreshes);
    // The next test needs a stream that delivers events again.
    while (Date.now() < stallEnds + 100) await new Promise((r) => setTimeout(r, 50));
  });

  it("after a dropped socket it reconnects and a REST refresh brings in what changed while it was down", async () => {
    const reconnects = userData.reconnects;
    await admin(sim, "POST", "/admin/user-stream/drop", { refuseMs: 800 });
    await waitUntil(() => !userData.connected(), "the stream to notice the drop");
    // While no socket is open: its events go nowhere.
    await admin(sim, "POST", "/admin/position/open", { symbol: "ETHUSDT", side: "short", quantity: 0.5 });
    await waitUntil(() => view().positions.get("ETHUSDT|short")?.size === 0.5, "the position opened while down, from the REST refresh", 15_000);
    expect(userData.reconnects).toBeGreaterThan(reconnects);
    await admin(sim, "POST", "/admin/position/close", { symbol: "ETHUSDT" });
    await waitUntil(() => view().positions.size === 0, "the closed position to leave the view");
  });

  it("keeps the listen key alive, and takes a new key when it expires or is gone", async () => {
    await waitUntil(() => keepAlives.length >= 1, "a keep-alive (PUT /fapi/v1/listenKey)");
    const first = keepAlives.at(-1)!;
    await admin(sim, "POST", "/admin/listen-key/expire", {});
    await waitUntil(() => keepAlives.length > 0 && keepAlives.at(-1) !== first, "keep-alives of a new listen key", 15_000);
    const second = keepAlives.at(-1)!;
    // A key closed behind the stream's back: its keep-alive fails (-1125) and it starts over with a new one.
    await client.listenKeys.close(second);
    await waitUntil(() => keepAlives.length > 0 && keepAlives.at(-1) !== second, "keep-alives of a third listen key", 15_000);
  });
});
