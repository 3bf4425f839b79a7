// kill -9 of the worker while it is placing orders, then a restart. Proves: while no worker runs
// the exchange-side stops stay and still fire (a price gap closes a protected position through its
// stop), the restarted worker reconciles (every attempt the dead one left pending is resolved by
// its client order id, placed or failed as the exchange says), and nothing is placed twice. Runs with
// the account in one-way mode and in hedge mode (each worker detects the mode when it connects).
import { describe, expect, it } from "vitest";
import { admin, type TestPositionMode } from "../../sim/testing/test-simulator";
import { apiOrders, attempts, duplicateOrders, openPosition, stopsPerPosition } from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, printFigures, sleep } from "./support/worker-process";

describe("[FAULTS] kill -9 of the worker in the middle of placing orders", () => {
  describe.each(["one-way", "hedge"] as const satisfies readonly TestPositionMode[])("%s position mode", (mode) => {
    const world = suiteFaultWorld({ database: mode === "hedge" ? "faultkillh" : "faultkill", seed: 3, mode });

    const allProtected = () => stopsPerPosition(world.sim).every((p) => p.stops >= 1);

    it("stops stay and fire while it is down; the restart reconciles pending attempts and places nothing twice", async () => {
      const { sim, pool } = world;
      await openPosition(sim, "BTCUSDT", "long");
      await openPosition(sim, "ETHUSDT", "short");
      const env = world.workerEnv();
      const first = world.startWorker("first", env);
      await eventually("both positions protected by the first worker", () => allProtected() && stopsPerPosition(sim).length === 2, 60_000);
      expect(first.output()).toContain(mode === "hedge" ? "hedge mode (LONG and SHORT per symbol)" : "one-way mode");

      // New positions while every order request takes 1.5 s at the venue: kill while one is pending.
      await admin(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/algoOrder", method: "POST", latencyMs: 1500 });
      await openPosition(sim, "SOLUSDT", "long");
      await openPosition(sim, "XRPUSDT", "short");
      await eventually("an attempt in flight (pending)", async () => (await attempts(pool)).some((a) => a.outcome === "pending"), 20_000, 20);
      await sleep(400); // the request is now at the venue, inside its 1.5 s latency
      await first.kill9();
      const pendingAtKill = (await attempts(pool)).filter((a) => a.outcome === "pending");
      expect(pendingAtKill.length).toBeGreaterThan(0);

      // No worker now. The requests it had sent are still processed by the venue (accepted after its death).
      await sleep(2000);
      await admin(sim, "DELETE", "/admin/faults");
      const whileDown = stopsPerPosition(sim);
      expect(whileDown.find((p) => p.symbol === "BTCUSDT")?.stops).toBeGreaterThanOrEqual(1);
      expect(whileDown.find((p) => p.symbol === "ETHUSDT")?.stops).toBeGreaterThanOrEqual(1);
      // A gap through BTC's stop: the exchange-side stop closes the position with no worker running.
      const btcStop = sim.sim.engine.openAlgos("BTCUSDT").find((a) => a.orderType === "STOP_MARKET")!;
      await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: Number((btcStop.triggerPrice * 0.99).toFixed(1)) });
      expect(sim.sim.engine.book.all().filter((p) => p.symbol === "BTCUSDT")).toEqual([]);
      expect(sim.sim.engine.log.accepted.some((o) => o.kind === "algo" && o.algo.algoId === btcStop.algoId && o.algo.algoStatus === "FINISHED")).toBe(true);

      const restartedAt = Date.now();
      const second = world.startWorker("second", env);
      const line = await eventually("the restarted worker reconciles", () => /reconciled with the exchange: pending attempts (\d+) placed \/ (\d+) failed, (\d+) orphaned/.exec(second.output()) ?? undefined, 60_000);
      const reconciledAfterMs = Date.now() - restartedAt;
      const [placedByReconcile, failedByReconcile, orphans] = [Number(line[1]), Number(line[2]), Number(line[3])];
      expect(placedByReconcile + failedByReconcile).toBe(pendingAtKill.length);

      await eventually("every open position protected again, nothing pending", async () => allProtected() && (await attempts(pool)).every((a) => a.outcome !== "pending"), 30_000);
      await sleep(1500); // a few more cycles: a worker that would re-place something does it now
      const rows = await attempts(pool);
      const onExchange = new Set(apiOrders(sim).map((o) => o.clientOrderId));
      for (const a of pendingAtKill) {
        const now = rows.find((r) => r.id === a.id)!;
        expect(`${a.clientOrderId}: ${now.outcome}`).toBe(`${a.clientOrderId}: ${onExchange.has(a.clientOrderId) ? "placed" : "failed"}`);
      }
      const dups = duplicateOrders(sim);
      printFigures(mode === "hedge" ? "kill-9-worker-hedge" : "kill-9-worker", {
        pendingAtKill: pendingAtKill.length, resolvedPlaced: placedByReconcile, resolvedFailed: failedByReconcile, orphansCancelled: orphans,
        stopsWhileDown: whileDown, stopFiredWhileDown: true, restartToReconciledMs: reconciledAfterMs, attempts: rows.length,
        ordersOnExchange: apiOrders(sim).length, duplicatesSameClientId: dups.sameClientId, duplicatesSameDecision: dups.sameDecision,
      });
      expect(dups).toEqual({ sameClientId: 0, sameDecision: 0 });
      expect(second.alive()).toBe(true);
    });
  });
});
