// The leader worker is killed (kill -9) while a standby runs, twice in a row (a third worker
// joins as the next standby). Proves: the standby takes over within 5 s (worker_leader row and its
// own heartbeat), every exit order attempt created after the kill carries the new epoch, no
// attempt of the old epoch is created after the kill, every order the venue accepted after the
// takeover belongs to a new-epoch attempt, and the new leader acts (places orders) under it.
import { describe, expect, it } from "vitest";
import { admin } from "../../sim/testing/test-simulator";
import { apiOrders, attempts, closePosition, duplicateOrders, heartbeatOf, leaderRow, openPosition, stopsPerPosition } from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, printFigures } from "./support/worker-process";

const world = suiteFaultWorld({ database: "faultha", seed: 11 });

const holderPid = (holderId: string) => Number(holderId.split(":")[1]);

describe("[FAULTS] the leader is killed while a standby runs", () => {
  it("takeover within 5 s, and no order attempt of the old epoch after the kill", async () => {
    const { sim, pool } = world;
    const env = world.workerEnv();
    await openPosition(sim, "BTCUSDT", "long");
    const start = (name: string) => world.startWorker(name, env);
    let leader = start("a");
    await eventually("a leads", async () => (await heartbeatOf(pool, leader.pid))?.info.ha?.leader === true, 60_000);
    await eventually("a protects the first position", () => stopsPerPosition(sim).every((p) => p.stops >= 1), 30_000);

    const takeovers: { killToRowMs: number; killToHeartbeatMs: number; oldEpoch: number; newEpoch: number }[] = [];
    const symbolsPerRound = [["ETHUSDT", "SOLUSDT"], ["XRPUSDT", "BTCUSDT"]] as const;
    for (const [round, symbols] of symbolsPerRound.entries()) {
      const standby = start(`standby-${round}`);
      await eventually("the standby beats, not leading", async () => (await heartbeatOf(pool, standby.pid))?.info.ha?.leader === false, 60_000);
      const old = (await leaderRow(pool))!;
      expect(holderPid(old.holderId)).toBe(leader.pid);

      // New positions, and each order request takes 700 ms at the venue: the leader dies placing their stops.
      await admin(sim, "POST", "/admin/faults", { kind: "latency", path: "/fapi/v1/algoOrder", method: "POST", latencyMs: 700 });
      if (round === 1) await closePosition(sim, "BTCUSDT");
      for (const s of symbols) await openPosition(sim, s, round === 0 ? "short" : "long");
      await eventually("the leader starts on the new positions", async () => (await attempts(pool)).some((a) => symbols.includes(a.symbol as never)), 10_000, 10);
      const killedAt = Date.now();
      await leader.kill9();
      await admin(sim, "DELETE", "/admin/faults");
      const row = await eventually("a new term in worker_leader", async () => {
        const r = await leaderRow(pool);
        return r && r.epoch > old.epoch && new Date(r.leaseUntil).getTime() > Date.now() ? r : undefined;
      }, 10_000, 25);
      const killToRowMs = Date.now() - killedAt;
      expect(holderPid(row.holderId)).toBe(standby.pid);
      await eventually("the standby's heartbeat says leader", async () => (await heartbeatOf(pool, standby.pid))?.info.ha?.leader === true, 10_000, 25);
      const killToHeartbeatMs = Date.now() - killedAt;
      takeovers.push({ killToRowMs, killToHeartbeatMs, oldEpoch: old.epoch, newEpoch: row.epoch });

      const ordersAtTakeover = sim.sim.engine.log.accepted.length;
      await eventually("the new leader protects every position", () => stopsPerPosition(sim).every((p) => p.stops >= 1), 30_000);
      await eventually("nothing pending", async () => (await attempts(pool)).every((a) => a.outcome !== "pending"), 20_000);

      const rows = await attempts(pool);
      const afterKill = rows.filter((a) => a.createdAt.getTime() > killedAt);
      expect(afterKill.length).toBeGreaterThan(0);
      expect(afterKill.filter((a) => a.leaderEpoch !== row.epoch)).toEqual([]);
      expect(rows.filter((a) => a.leaderEpoch === old.epoch && a.createdAt.getTime() > killedAt)).toEqual([]);
      const newEpochIds = new Set(rows.filter((a) => a.leaderEpoch === row.epoch).map((a) => a.clientOrderId));
      const acceptedAfter = apiOrders(sim, ordersAtTakeover);
      expect(acceptedAfter.length).toBeGreaterThan(0);
      expect(acceptedAfter.filter((o) => !newEpochIds.has(o.clientOrderId))).toEqual([]);
      leader = standby;
    }
    const dups = duplicateOrders(sim);
    printFigures("leader-takeover", { takeovers, duplicatesSameClientId: dups.sameClientId, duplicatesSameDecision: dups.sameDecision, attempts: (await attempts(pool)).length });
    for (const tk of takeovers) expect(tk.killToRowMs).toBeLessThan(5000);
    for (const tk of takeovers) expect(tk.killToHeartbeatMs).toBeLessThan(5000);
    expect(dups).toEqual({ sameClientId: 0, sameDecision: 0 });
  });
});
