// Operator position actions end to end: the request recorded by the web's service (with its audit
// row), carried out by the worker's consumer through the real gateway, real ccxt and the simulator
// over HTTP, on a real PostgreSQL. Proves: a hand-back in LIVE places legacy's stop, confirms it
// rests, and only then cancels Exit Brain's stop (at every cancel, legacy's stop rests on the
// exchange); the legacy module then protects that position in LIVE while other positions stay
// blocked; a close-now closes the position reduce-only and cancels its leftovers; a close-now after
// a kill switch is still carried out (risk-reducing, docs/safety-invariants.md); a hand-back whose
// legacy stop the exchange refuses is undone and nothing of Exit Brain's is cancelled.
// All of it in one-way mode and in hedge mode; in hedge mode a SHORT is open beside the LONG on
// BTCUSDT (with its own Exit Brain stop), and every action must touch only its own side: the close
// is sent with positionSide and no reduceOnly (Binance refuses it there) for at most that side's
// size, a hand-back cancels only that side's orders, the page reads each side on its own.
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { RetryAfterRejection } from "../../src/core/orders/retry-after-rejection";
import { parseCeilings, resolveOperationalState, type OperationalState, type ToggleSet } from "../../src/core/toggles";
import { createLogger } from "../../src/server/logger";
import { requestPositionAction } from "../../src/server/services/positions/position-actions";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { killSwitch } from "../../src/server/services/toggles/rollbacks";
import { readStoredToggles } from "../../src/server/db/toggle-row";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, type TestPositionMode } from "../../sim/testing/test-simulator";
import { getPositionDetail } from "../../src/server/services/positions/get-position-detail";
import { restingByPosition } from "../../src/server/services/orders/resting-orders";
import type { TestDatabase } from "../../test/test-database";
import type { ExchangePort } from "../exchange/exchange-port";
import { ExitOrderGateway, type CancelRequest } from "../gateway/exit-order-gateway";
import { defaultPositionMonitorParams, positionMonitorOrders } from "../../src/core/legacy";
import { LadderProgress, runLegacyCycle, toGatewayRequest } from "../legacy/legacy-module";
import { withCancelRecords, type OrderGateway } from "../order-lifecycle/lifecycle-gateway";
import { recordLifecycle } from "../order-lifecycle/record-lifecycle";
import { recordPositionSafety } from "../account/safety-recorder";
import { HandedBackPositions, handedBackPositions } from "./handed-back";
import { runPositionActionsOnce, type PositionActionsDeps } from "./position-actions";
import { startSimTestWorld, type SimTestWorld } from "../exchange/testing/sim-test-world";

const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const log = createLogger({ name: "test", level: "silent", console: false });

let t: TestDatabase;
let world: SimTestWorld | undefined;
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

function ebStop(symbol: string, stopPrice: number, quantity: number, positionSide: "long" | "short" = "long"): ExitOrderRequest {
  seq++;
  return {
    module: "exit_executor", kind: "sl", symbol, positionSide, side: positionSide === "long" ? "sell" : "buy", orderType: "STOP_MARKET", quantity, positionSize: quantity, stopPrice,
    reduceOnly: true, decisionId: `eb:${symbol}:${positionSide}:${seq}:${Date.now()}`,
  };
}

/** The conditional orders resting for one side of a symbol (BOTH in one-way mode counts as either). */
function restingAlgos(symbol: string, side: "long" | "short") {
  const ps = side === "long" ? "LONG" : "SHORT";
  return sim.sim.engine.openAlgos().filter((x) => x.symbol === symbol && x.algoStatus === "NEW" && (x.positionSide === ps || x.positionSide === "BOTH"));
}

async function action(id: number) {
  return t.db.positionAction.findUniqueOrThrow({ where: { id: BigInt(id) } });
}

describe.each(["one-way", "hedge"] as const satisfies readonly TestPositionMode[])("position actions (%s position mode)", (mode) => {
  beforeAll(async () => {
    world = await startSimTestWorld({ database: mode === "hedge" ? "position_actions_h" : "position_actions", mode, timeoutMs: 3000 });
    ({ t, sim, port, pool } = world);
    expect(await port.fetchPositionMode()).toBe(mode); // as the worker does when it connects
    gateway = withCancelRecords(new ExitOrderGateway({ pool, exchange: port, ceilings: parseCeilings({}), log, backoffMs: 20, maxTries: 1 }), pool, log);
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    atCancel = [];
    await admin(sim, "DELETE", "/admin/faults");
    for (const symbol of new Set(sim.sim.engine.book.all().map((p) => p.symbol))) await admin(sim, "POST", "/admin/position/close", { symbol });
    for (const a of sim.sim.engine.openAlgos()) if (a.algoStatus === "NEW") sim.sim.engine.cancelAlgo(a.symbol, { algoId: a.algoId });
    await t.db.positionHandback.deleteMany({});
    await changeToggles(t.db, { changes: LIVE, actor: "test", source: "api", reason: "test", confirmLive: true, ceilings: {} });
    await readView();
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: 50_000 });
    await admin(sim, "POST", "/admin/price", { symbol: "ETHUSDT", price: 3_000 });
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
    await admin(sim, "POST", "/admin/position/open", { symbol: "ETHUSDT", side: "long", quantity: 0.1, leverage: 5 });
    // Hedge mode: a SHORT beside the LONG on BTCUSDT, a position of its own.
    if (mode === "hedge") await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "short", quantity: 0.02, leverage: 5 });
    // Exit Brain's stops rest on each (it owns exits: LIVE).
    const stops: [string, number, number, "long" | "short"][] = [["BTCUSDT", 49_500, 0.01, "long"], ["ETHUSDT", 2_950, 0.1, "long"]];
    if (mode === "hedge") stops.push(["BTCUSDT", 50_500, 0.02, "short"]);
    for (const [symbol, price, qty, side] of stops) {
      expect((await gateway.submit(ebStop(symbol, price, qty, side), { state: view.state, toggleVersion: view.version })).outcome).toBe("placed");
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
      const eb = await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "exit_executor", symbol: "BTCUSDT", positionSide: "long" } });
      expect(eb).toMatchObject({ exchangeStatus: "cancelled", cancelledBy: "operator_action" });
      expect(eb.cancelReason).toMatch(/handed back to legacy/);
      // Legacy's stop went out shaped for the mode: positionSide and no reduceOnly in hedge mode.
      expect(sim.sim.engine.findAlgo("BTCUSDT", { clientAlgoId: legacy.clientOrderId })).toMatchObject(
        mode === "hedge" ? { positionSide: "LONG", reduceOnly: false, side: "SELL" } : { positionSide: "BOTH", reduceOnly: true, side: "SELL" },
      );
      // Exit Brain's ETHUSDT stop is untouched, and in hedge mode the BTCUSDT SHORT's too.
      expect(restingAlgos("ETHUSDT", "long")).toHaveLength(1);
      if (mode === "hedge") {
        expect(restingAlgos("BTCUSDT", "short").map((x) => x.clientAlgoId)).toEqual([
          (await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "exit_executor", symbol: "BTCUSDT", positionSide: "short" }, orderBy: { id: "desc" } })).clientOrderId,
        ]);
        expect(handedBackPositions.has("BTCUSDT", "short")).toBe(false);
      }
      expect(handedBackPositions.has("BTCUSDT", "long")).toBe(true);
      expect(handedBackPositions.has("ETHUSDT", "long")).toBe(false);

      // The legacy cycle in LIVE: BTCUSDT (handed back) gets its take-profit; ETHUSDT's (Exit
      // Brain's, whose stop rests) is blocked.
      const r = await runLegacyCycle("position_monitor", await account(), gateway, { state: view.state, toggleVersion: view.version }, { ladder: new LadderProgress(), retries: new RetryAfterRejection() }, log);
      // (hedge mode: the BTCUSDT SHORT stays Exit Brain's, so its take-profit is blocked too)
      expect(r).toMatchObject({ placed: 1, blocked: mode === "hedge" ? 2 : 1 });
      expect(await t.db.exitOrderAttempt.count({ where: { module: "position_monitor", symbol: "BTCUSDT", positionSide: "long", kind: "tp", outcome: "placed" } })).toBe(1);
      if (mode === "hedge") expect(await t.db.exitOrderAttempt.count({ where: { module: "position_monitor", symbol: "BTCUSDT", positionSide: "short", outcome: "placed" } })).toBe(0);
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
      expect(restingAlgos("BTCUSDT", "long")).toHaveLength(1);
      if (mode === "hedge") expect(restingAlgos("BTCUSDT", "short")).toHaveLength(1);
    });
  });

  describe("close now", () => {
    it("closes the position reduce-only at market and cancels its leftover stop", async () => {
      await expect(requestPositionAction(t.db, { kind: "close_now", symbol: "BTCUSDT", positionSide: "long", reason: "flatten", confirmSymbol: "BTCUSDT" }, "alice@example.com")).resolves.toMatchObject({ status: "requested" });
      await runPositionActionsOnce(deps(new HandedBackPositions()));
      const a = await t.db.positionAction.findFirstOrThrow({ where: { kind: "close_now" }, orderBy: { id: "desc" } });
      expect(a).toMatchObject({ status: "done" });
      expect((await port.fetchPositions()).filter((p) => p.symbol === "BTCUSDT" && p.side === "long")).toEqual([]);
      const close = await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "operator_action", symbol: "BTCUSDT" }, orderBy: { id: "desc" } });
      expect(close).toMatchObject({ orderType: "MARKET", outcome: "placed", quantity: 0.01, positionSide: "long" });
      // On the wire: reduce-only in one-way mode; in hedge mode positionSide LONG and no reduceOnly
      // (the simulator refuses reduceOnly there with -1106 as Binance does, so a placed order
      // proves it was not sent; the order's record then says it closes, as Binance's answer does).
      expect(sim.sim.engine.findOrder("BTCUSDT", { clientOrderId: close.clientOrderId })).toMatchObject(
        mode === "hedge" ? { side: "SELL", positionSide: "LONG", origQty: 0.01, status: "FILLED" } : { side: "SELL", positionSide: "BOTH", reduceOnly: true, origQty: 0.01, status: "FILLED" },
      );
      await recordLifecycle({ pool, port, log, settleMs: 0 }, await account());
      expect((await t.db.exitOrderAttempt.findUniqueOrThrow({ where: { id: close.id } })).exchangeStatus).toBe("filled");
      expect(await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "exit_executor", symbol: "BTCUSDT", positionSide: "long" }, orderBy: { id: "desc" } })).toMatchObject({ exchangeStatus: "cancelled", cancelledBy: "operator_action" });
      if (mode === "hedge") {
        // The SHORT on the same symbol is untouched: still open at its size, its stop still resting.
        expect((await port.fetchPositions()).filter((p) => p.symbol === "BTCUSDT").map((p) => [p.side, p.size])).toEqual([["short", 0.02]]);
        expect(restingAlgos("BTCUSDT", "short")).toHaveLength(1);
      }
      // ETHUSDT untouched
      expect((await port.fetchPositions()).filter((p) => p.symbol === "ETHUSDT")).toHaveLength(1);
    });

    // Registered in hedge mode only (one-way mode has one position per symbol).
    if (mode === "hedge") it("hedge mode: closing the SHORT closes only the SHORT (its size, positionSide SHORT), and the page reads each side on its own", async () => {
      const short = await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "short" } });
      const long = await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "long" } });
      expect([short.position?.size, long.position?.size]).toEqual([0.02, 0.01]);
      const restingSides = async (positionSide: "long" | "short") =>
        new Set((await restingByPosition(t.db, { symbol: "BTCUSDT", positionSide })).flatMap((g) => g.orders.map((o) => o.positionSide)));
      expect(await restingSides("short")).toEqual(new Set(["short"]));
      expect(await restingSides("long")).toEqual(new Set(["long"]));
      await requestPositionAction(t.db, { kind: "close_now", symbol: "BTCUSDT", positionSide: "short", reason: "flatten the short", confirmSymbol: "BTCUSDT" }, "alice@example.com");
      await runPositionActionsOnce(deps(new HandedBackPositions()));
      const a = await t.db.positionAction.findFirstOrThrow({ where: { kind: "close_now" }, orderBy: { id: "desc" } });
      expect(a).toMatchObject({ status: "done", error: null });
      expect((await port.fetchPositions()).filter((p) => p.symbol === "BTCUSDT").map((p) => [p.side, p.size])).toEqual([["long", 0.01]]);
      const close = await t.db.exitOrderAttempt.findFirstOrThrow({ where: { module: "operator_action", symbol: "BTCUSDT" }, orderBy: { id: "desc" } });
      expect(close).toMatchObject({ positionSide: "short", side: "buy", quantity: 0.02, outcome: "placed" });
      expect(sim.sim.engine.findOrder("BTCUSDT", { clientOrderId: close.clientOrderId })).toMatchObject({ side: "BUY", positionSide: "SHORT", origQty: 0.02, status: "FILLED" });
      // Each side's page lists only its own actions (the LONG's buttons are not held by the SHORT's close).
      expect((await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "long" } })).actions.map((x) => x.positionSide)).not.toContain("short");
      expect((await getPositionDetail(t.db, { id: { symbol: "BTCUSDT", positionSide: "short" } })).actions.map((x) => [x.kind, x.positionSide])[0]).toEqual(["close_now", "short"]);
      // The SHORT's stop is cancelled as a leftover; the LONG's stays.
      expect(restingAlgos("BTCUSDT", "short")).toHaveLength(0);
      expect(restingAlgos("BTCUSDT", "long")).toHaveLength(1);
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
});
