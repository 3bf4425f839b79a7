// Malformed exchange answers under a running worker: a truncated JSON body for the positions,
// and the right shape with every value of the wrong type for the open orders (plain and
// conditional), via the simulator's `malformed` fault. Proves: the worker logs the bad answer
// and goes on (alive, heartbeat fresh), keeps its last good view (no stop is cancelled or placed
// on garbage), and the next cycles after the faults are fine (a new position gets protected).
import { describe, expect, it } from "vitest";
import { admin } from "../../sim/testing/test-simulator";
import { apiOrders, attempts, duplicateOrders, heartbeatAgeS, openPosition, stopsPerPosition } from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, printFigures, sleep } from "./support/worker-process";

const world = suiteFaultWorld({ database: "faultmal", seed: 17 });

const RULES = [
  { kind: "malformed", malform: "truncate", path: "/fapi/v3/positionRisk", count: 3 },
  { kind: "malformed", malform: "truncate", path: "/fapi/v2/positionRisk", count: 3 },
  { kind: "malformed", malform: "wrong-types", path: "/fapi/v1/openOrders", count: 3 },
  { kind: "malformed", malform: "wrong-types", path: "/fapi/v1/openAlgoOrders", count: 3 },
  { kind: "malformed", malform: "wrong-types", path: "/fapi/v3/positionRisk", count: 3 },
];

describe("[FAULTS] malformed and truncated exchange payloads", () => {
  it("the worker logs, keeps its last good view, stays alive and beating, and the next cycles are fine", async () => {
    const { sim, pool } = world;
    await openPosition(sim, "BTCUSDT", "long");
    // The account's full REST read (once a minute by default, next to the user-data stream) every 5 s:
    // it is the read the malformed answers hit.
    const w = world.startWorker("w", world.workerEnv({ ACCOUNT_FULL_REFRESH_S: "5" }));
    await eventually("the first position protected", () => stopsPerPosition(sim).every((p) => p.stops >= 1) && stopsPerPosition(sim).length === 1, 60_000);
    // Both legacy modules done: no new order for 2 s.
    let ordersBefore = -1;
    await eventually("the legacy modules settled", async () => {
      const n = apiOrders(sim).length;
      if (n !== ordersBefore) {
        ordersBefore = n;
        await sleep(2000);
        return apiOrders(sim).length === n && (await attempts(pool)).every((a) => a.outcome !== "pending");
      }
      return true;
    }, 30_000);
    const outputBefore = w.output().length;

    for (const r of RULES) await admin(sim, "POST", "/admin/faults", r);
    const fired = async () => (await admin<{ faults: { fired: number; path: string }[] }>(sim, "GET", "/admin/faults")).faults;
    await eventually("the malformed answers were served", async () => {
      const f = await fired();
      return f.filter((r) => r.path.includes("positionRisk")).reduce((n, r) => n + r.fired, 0) >= 3 &&
        f.filter((r) => r.path.includes("penOrders") || r.path.includes("AlgoOrders")).reduce((n, r) => n + r.fired, 0) >= 3;
    }, 30_000, 100);
    const served = (await fired()).reduce((n, r) => n + r.fired, 0);
    await sleep(1000);
    const logged = w.output().slice(outputBefore);
    const refreshFailures = logged.split("\n").filter((l) => l.includes("account refresh failed; keeping the last good snapshot")).length;
    expect(refreshFailures).toBeGreaterThan(0);
    expect(w.alive(), w.output().slice(-3000)).toBe(true);
    expect(await heartbeatAgeS(pool, w.pid)).toBeLessThan(2);
    // Nothing was done on garbage: the stop is still there, and no order was sent.
    expect(stopsPerPosition(sim)).toEqual([{ symbol: "BTCUSDT", stops: 1 }]);
    expect(apiOrders(sim).length).toBe(ordersBefore);

    // The faults are spent (count): the next cycles are normal again.
    await admin(sim, "DELETE", "/admin/faults");
    await openPosition(sim, "ETHUSDT", "short");
    await eventually("the new position protected", () => stopsPerPosition(sim).length === 2 && stopsPerPosition(sim).every((p) => p.stops >= 1), 30_000);
    await eventually("nothing pending", async () => (await attempts(pool)).every((a) => a.outcome !== "pending"), 20_000);
    const sampleLine = logged.split("\n").find((l) => l.includes("account refresh failed"))?.trim() ?? "";
    printFigures("malformed-payloads", { malformedAnswersServed: served, refreshFailuresLogged: refreshFailures, sampleLogLine: sampleLine.slice(0, 300) });
    expect(duplicateOrders(sim)).toEqual({ sameClientId: 0, sameDecision: 0 });
    expect(w.alive()).toBe(true);
  });
});
