// Operator position actions end to end: the request recorded by the web's service (with its audit
// row), carried out by the worker's consumer through the real gateway, real ccxt and the simulator
// over HTTP, on a real PostgreSQL. Proves: a hand-back in LIVE places legacy's stop, confirms it
// rests, and only then cancels Exit Brain's stop (at every cancel, legacy's stop rests on the
// exchange); the legacy module then protects that position in LIVE while other positions stay
// blocked; a close-now closes the position reduce-only and cancels its leftovers; a close-now after
// a kill switch is still carried out (risk-reducing, docs/safety-invariants.md); a hand-back whose
// legacy stop the exchange refuses is undone and nothing of Exit Brain's is cancelled.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { RetryAfterRejection } from "../../src/core/gateway/retry-after-rejection";
import { parseCeilings, resolveOperationalState, type OperationalState, type ToggleSet } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { requestPositionAction } from "../../src/server/services/positions/position-actions";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { killSwitch } from "../../src/server/services/toggles/rollbacks";
import { readStoredToggles } from "../../src/server/services/toggles/toggle-row";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator, TEST_CREDENTIALS } from "../../sim/testing/test-simulator";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { createExchange } from "../exchange/create-exchange";
import type { ExchangePort } from "../exchange/exchange-port";
import { ExitOrderGateway, type CancelRequest } from "../gateway/exit-order-gateway";
import { defaultPositionMonitorParams, positionMonitorOrders } from "../../src/core/legacy";
import { LadderProgress, runLegacyCycle, toGatewayRequest } from "../legacy/legacy-module";
import { withCancelRecords, type OrderGateway } from "../order-lifecycle/lifecycle-gateway";
import { recordLifecycle } from "../order-lifecycle/record-lifecycle";
import { recordPositionSafety } from "../safety/safety-recorder";
import { HandedBackPositions, handedBackPositions } from "./handed-back";
import { runPositionActionsOnce, type PositionActionsDeps } from "./position-actions";

const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const log = createLogger({ name: "test", level: "silent", console: false });

let t: TestDatabase;
let sim: RunningSimulator;
let port: ExchangePort;
let pool: pg.Pool;
let gateway: OrderGateway;
let view: { state: OperationalState; version: number | null; confirmed: boolean };
/** open algo client ids on the exchange at the moment of each cancel the consumer sends */
let atCancel: string[][] = [];
let seq = 0;

async function readView(): Promise<void> {
  const stored = (await readStoredToggles(t.db))!;
  view = { state: resolveOperationalState({ stored: stored.toggles, ceilings: {} }).operationalState, version: stored.version, confirmed: true };
}

function deps(registry: HandedBackPositions = handedBackPositions): PositionActionsDeps {
  return {
    pool, port, log, handedBack: registry, leaderEpoch: () => null, canAct: () => true, latestAccount: () => null,
    toggles: { view: () => view }, sleep: async () => {},
    gateway: {
      submit: (req, under) => gateway.submit(req, under),
      sendDeadlineMs: gateway.sendDeadlineMs,
      cancel: (c: CancelRequest) => {
        atCancel.push(sim.sim.engine.openAlgos().filter((a) => a.algoStatus === "NEW").map((a) => a.clientAlgoId));
        return gateway.cancel(c);
      },
    },
  };
}

async function account() {
  return { at: Date.now(), positions: await port.fetchPositions(), openOrders: await port.fetchOpenOrders() };
}

function ebStop(symbol: string, stopPrice: number, quantity: number): ExitOrderRequest {
  seq++;
  return { module: "exit_executor", kind: "sl", symbol, positionSide: "long", side: "sell", orderType: "STOP_MARKET", quantity, stopPrice, reduceOnly: true, decisionId: `eb:${symbol}:${seq}:${Date.now()}` };
}

async function action(id: number) {
  return t.db.positionAction.findUniqueOrThrow({ where: { id: BigInt(id) } });
}

beforeAll(async () => {
  t = await createTestDatabase("position_actions");
  await bootToggles(t.db, {});
  sim = await startTestSimulator();
  port = await createExchange(
    { EXCHANGE: "sim", SIM_URL: sim.url, SIM_PORT: 0, SIM_API_KEY: TEST_CREDENTIALS.apiKey, SIM_API_SECRET: TEST_CREDENTIALS.apiSecret, BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined },
    { timeoutMs: 3000 },
  );
  pool = new pg.Pool({ connectionString: t.url, max: 4 });
  gateway = withCancelRecords(new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, backoffMs: 20, maxTries: 1 }), pool, log);
});
afterAll(async () => {
  await port?.close();
  await sim?.close();
  await pool?.end();
  await t?.drop();
});
beforeEach(async () => {
  atCancel = [];
  await admin(sim, "DELETE", "/admin/faults");
  for (const p of sim.sim.engine.book.all()) await admin(sim, "POST", "/admin/position/close", { symbol: p.symbol });
  for (const a of sim.sim.engine.openAlgos()) if (a.algoStatus === "NEW") sim.sim.engine.cancelAlgo(a.symbol, { algoId: a.algoId });
  await t.db.positionHandback.deleteMany({});
  await changeToggles(t.db, { changes: LIVE, actor: "test", source: "api", reason: "test", confirmLive: true, ceilings: {} });
  await readView();
  await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 50_000 });
  await admin(sim, "POST", "/admin/price", { symbol: "ETHUSDT", price: 3_000 });
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
  await admin(sim, "POST", "/admin/position/open", { symbol: "ETHUSDT", side: "long", quantity: 0.1, leverage: 5 });
  // Exit Brain's stops rest on both (it owns exits: LIVE).
  for (const [symbol, price, qty] of [["BTCUSDT", 49_500, 0.01], ["ETHUSDT", 2_950, 0.1]] as const) {
    expect((await gateway.submit(ebStop(symbol, price, qty), { state: view.state, toggleVersion: view.version })).outcome).toBe("placed");
  }
  await recordPositionSafety(pool, await account());
});

describe("hand back to legacy", () => {
  it("places legacy's stop, confirms it, then cancels Exit Brain's; legacy then protects that position in LIVE, the other stays Exit Brain's", async () => {
    // The legacy cycle already tried legacy's stop in LIVE and was blocked (the same decision):
    // the hand-back's stop must still be sent (found by the browser test).
    const btc = (await port.fetchPositions()).find((p) => p.symbol === "BTCUSDT")!;
    const sl = positionMonitorOrders(btc, defaultPositionMonitorParams).find((o) => o.kind === "sl")!;
    expect((await gateway.submit(toGatewayRequest("position_monitor", btc, sl, view.version), { state: view.state, toggleVersion: view.version })).outcome).toBe("blocked");
    const requested = await requestPositionAction(t.db, { kind: "hand_back", symbol: "BTCUSDT", positionSide: "long", reason: "legacy handles this one" }, "alice@example.com");
    expect(requested.status).toBe("requested");
    expect(await runPositionActionsOnce(deps())).toBe(1);
    const a = await action(requested.id);
    expect(a).toMatchObject({ status: "done", error: null });
    const steps = (a.steps as { step: string; ok: boolean }[]).map((s) => s.step);
    expect(steps).toEqual(["read position", "hand back", "place legacy stop", "confirm legacy stop", "cancel Exit Brain order"]);

    const legacy = await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "position_monitor", symbol: "BTCUSDT", kind: "sl", outcome: "placed" } });
    expect(legacy).toMatchObject({ operationalState: "EXIT_BRAIN_V3_LIVE", verdict: "allow", orderType: "STOP_MARKET" });
    // At the one cancel, legacy's stop was resting on the exchange.
    expect(atCancel).toHaveLength(1);
    expect(atCancel[0]).toContain(legacy.clientOrderId);
    const eb = await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "exit_executor", symbol: "BTCUSDT" } });
    expect(eb).toMatchObject({ exchangeStatus: "cancelled", cancelledBy: "operator_action" });
    expect(eb.cancelReason).toMatch(/handed back to legacy/);
    // Exit Brain's ETHUSDT stop is untouched.
    expect(sim.sim.engine.openAlgos().filter((x) => x.symbol === "ETHUSDT" && x.algoStatus === "NEW")).toHaveLength(1);
    expect(handedBackPositions.has("BTCUSDT", "long")).toBe(true);
    expect(handedBackPositions.has("ETHUSDT", "long")).toBe(false);

    // The legacy cycle in LIVE: BTCUSDT (handed back) gets its take-profit; ETHUSDT's (Exit
    // Brain's, whose stop rests) is blocked.
    const r = await runLegacyCycle("position_monitor", await account(), gateway, { state: view.state, toggleVersion: view.version }, { ladder: new LadderProgress(), retries: new RetryAfterRejection() }, log);
    expect(r).toMatchObject({ placed: 1, blocked: 1 });
    expect(await t.db.exitOrderAttempt.count({ where: { module: "position_monitor", symbol: "BTCUSDT", kind: "tp", outcome: "placed" } })).toBe(1);
    expect(await t.db.exitOrderAttempt.count({ where: { module: "position_monitor", symbol: "ETHUSDT", kind: "tp", outcome: "blocked" } })).toBe(1);

    // Audited: requested by the operator, done by the worker.
    expect((await t.db.positionActionAudit.findMany({ where: { actionId: a.id }, orderBy: { id: "asc" } })).map((x) => [x.actor, x.event])).toEqual([
      ["alice@example.com", "requested"], ["worker", "done"],
    ]);
    // A second hand-back of the same position is refused in words.
    await expect(requestPositionAction(t.db, { kind: "hand_back", symbol: "BTCUSDT", positionSide: "long", reason: "again" }, "alice@example.com")).rejects.toThrow(/already handed back/);
  });

  it("a legacy stop the exchange refuses undoes the hand-back: nothing of Exit Brain's is cancelled", async () => {
    await admin(sim, "POST", "/admin/faults", { kind: "reject", path: "/fapi/v1/algoOrder", method: "POST", count: 1, code: -2021, msg: "Order would immediately trigger." });
    const registry = new HandedBackPositions();
    const requested = await requestPositionAction(t.db, { kind: "hand_back", symbol: "BTCUSDT", positionSide: "long", reason: "try it" }, "alice@example.com");
    await runPositionActionsOnce(deps(registry));
    const a = await action(requested.id);
    expect(a.status).toBe("failed");
    expect(a.error).toMatch(/legacy's stop .*Nothing was cancelled: Exit Brain keeps managing the position/);
    expect((a.steps as { step: string }[]).map((x) => x.step)).toContain("undo hand back");
    expect(atCancel).toHaveLength(0);
    expect(registry.has("BTCUSDT", "long")).toBe(false);
    expect(await t.db.positionHandback.count()).toBe(0);
    expect(sim.sim.engine.openAlgos().filter((x) => x.symbol === "BTCUSDT" && x.algoStatus === "NEW")).toHaveLength(1);
  });
});

describe("close now", () => {
  it("closes the position reduce-only at market and cancels its leftover stop", async () => {
    await expect(requestPositionAction(t.db, { kind: "close_now", symbol: "BTCUSDT", positionSide: "long", reason: "flatten", confirmSymbol: "BTCUSDT" }, "alice@example.com")).resolves.toMatchObject({ status: "requested" });
    await runPositionActionsOnce(deps(new HandedBackPositions()));
    const a = await t.db.positionAction.findFirstOrThrow({ where: { kind: "close_now" }, orderBy: { id: "desc" } });
    expect(a).toMatchObject({ status: "done" });
    expect((await port.fetchPositions()).filter((p) => p.symbol === "BTCUSDT")).toEqual([]);
    const close = await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "operator_action", symbol: "BTCUSDT" }, orderBy: { id: "desc" } });
    expect(close).toMatchObject({ orderType: "MARKET", reduceOnly: true, outcome: "placed", quantity: 0.01 });
    await recordLifecycle({ pool, port, log, settleMs: 0 }, await account());
    expect((await t.db.exitOrderAttempt.findUniqueOrThrow({ where: { id: close.id } })).exchangeStatus).toBe("filled");
    expect(await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "exit_executor", symbol: "BTCUSDT" }, orderBy: { id: "desc" } })).toMatchObject({ exchangeStatus: "cancelled", cancelledBy: "operator_action" });
    // ETHUSDT untouched
    expect((await port.fetchPositions()).filter((p) => p.symbol === "ETHUSDT")).toHaveLength(1);
  });

  it("after a kill switch the close is still carried out: a reduce-only close only reduces risk (safety-invariants, operator actions)", async () => {
    await killSwitch(t.db, { actor: "test", source: "api", reason: "stop everything", ceilings: {} });
    await readView();
    expect(view.state).not.toBe("EXIT_BRAIN_V3_LIVE");
    await requestPositionAction(t.db, { kind: "close_now", symbol: "ETHUSDT", positionSide: "long", reason: "flatten after the kill switch", confirmSymbol: "ETHUSDT" }, "alice@example.com");
    await runPositionActionsOnce(deps(new HandedBackPositions()));
    expect((await port.fetchPositions()).filter((p) => p.symbol === "ETHUSDT")).toEqual([]);
    const close = await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "operator_action", symbol: "ETHUSDT" }, orderBy: { id: "desc" } });
    expect(close).toMatchObject({ operationalState: view.state, verdict: "allow", outcome: "placed", reduceOnly: true });
    // and the executor still may not send anything: the kill switch holds for Exit Brain
    const eb = await gateway.submit(ebStop("BTCUSDT", 49_000, 0.01), { state: view.state, toggleVersion: view.version });
    expect(eb.outcome).toBe("blocked");
  });

  it("a close needs the symbol typed again; a position the worker has not seen open is refused in words", async () => {
    const { PositionActionInput } = await import("../../src/core/positions/position-action");
    expect(PositionActionInput.safeParse({ kind: "close_now", symbol: "BTCUSDT", positionSide: "long", reason: "flatten" }).success).toBe(false);
    expect(PositionActionInput.safeParse({ kind: "close_now", symbol: "BTCUSDT", positionSide: "long", reason: "flatten", confirmSymbol: "ETHUSDT" }).success).toBe(false);
    await expect(requestPositionAction(t.db, { kind: "close_now", symbol: "SOLUSDT", positionSide: "long", reason: "flatten", confirmSymbol: "SOLUSDT" }, "alice@example.com")).rejects.toThrow(/No open SOLUSDT long position/);
  });
});
