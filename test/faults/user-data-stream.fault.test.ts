// The user-data stream drops mid-run (issue 14), with a LIVE worker process whose account view
// comes from the stream. The simulator closes the socket and refuses new ones for longer than the
// gap limit. Shows: the worker says so (log, heartbeat: account unconfirmed, toggles unconfirmed +
// SHADOW), the executor sends nothing and every stop resting on the exchange stays; when the
// stream is back it reconnects, reads the account over REST (which finds the position opened
// while it was down) and the executor is LIVE again and protects that position too.
import { describe, expect, it } from "vitest";
import { admin } from "../../sim/testing/test-simulator";
import { attempts, heartbeatOf, openPosition, restingStopIds, stopsPerPosition } from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, printFigures, sleep } from "./support/worker-process";

const GAP_MS = 1500;
const OUTAGE_MS = 10_000;
const world = suiteFaultWorld({ database: "faultuserstream", seed: 23 });

interface Info {
  toggles?: { confirmed: boolean; state: string };
  account?: { source: string; confirmed: boolean; reason: string | null; restRefreshes: number; events: number };
}

const infoOf = async (pid: number): Promise<Info | undefined> => (await heartbeatOf(world.pool, pid))?.info as Info | undefined;

const restingStops = (): Set<string> => restingStopIds(world.sim);

describe("[FAULTS] the user-data stream drops while LIVE", () => {
  it("the account goes unconfirmed and the executor SHADOW (nothing sent, nothing cancelled); after the reconnect and REST read, LIVE again", async () => {
    const { sim, pool } = world;
    await world.goLive("LIVE for the user-data stream scenario");
    await openPosition(sim, "BTCUSDT", "long");
    const w = world.startWorker("userstream", world.workerEnv({ EXIT_BRAIN_INTERVAL_S: "0.5", ACCOUNT_STREAM_GAP_MS: String(GAP_MS) }));
    await eventually("the worker leads in LIVE with a confirmed stream", async () => {
      const i = await infoOf(w.pid);
      return i?.toggles?.state === "EXIT_BRAIN_V3_LIVE" && i.account?.source === "stream" && i.account.confirmed;
    }, 60_000);
    await eventually("the position protected by the executor", () => stopsPerPosition(sim).length === 1 && stopsPerPosition(sim).every((p) => p.stops >= 1), 60_000);

    // The fault: the socket is closed and new ones refused for longer than the gap limit.
    const stopsAtFault = restingStops();
    const faultAt = Date.now();
    await admin(sim, "POST", "/admin/user-stream/drop", { refuseMs: OUTAGE_MS });
    const info = await eventually("the worker reports the account unconfirmed", async () => {
      const i = await infoOf(w.pid);
      return i?.account && !i.account.confirmed ? i : undefined;
    }, 30_000, 50);
    const detectedMs = Date.now() - faultAt;
    // From here on the executor's toggles are SHADOW: no evaluation may send (one that began
    // before, in LIVE, may still have landed: the gateway's check reads the stored toggles).
    const executorAttemptsAtFault = (await attempts(pool)).filter((a) => a.module === "exit_executor").length;
    expect(info.toggles).toMatchObject({ confirmed: false, state: "EXIT_BRAIN_V3_SHADOW" });
    expect(info.account!.reason).toMatch(/user-data stream/);
    await eventually("the worker's log says so", () => /\[ACCOUNT\] account state unconfirmed: .*SHADOW/.test(w.output()), 10_000);

    // While down: a new position (its events go nowhere), no executor order or cancel, every stop stays.
    await openPosition(sim, "ETHUSDT", "short");
    await sleep(2_000); // four evaluation intervals, still inside the outage
    const stopsAfter = restingStops();
    for (const id of stopsAtFault) expect(stopsAfter.has(id), `stop ${id} was cancelled`).toBe(true);
    const during = (await attempts(pool)).filter((a) => a.module === "exit_executor").slice(executorAttemptsAtFault);
    expect(during.map((a) => `${a.kind} ${a.symbol} ${a.outcome} ${a.operationalState} +${a.createdAt.getTime() - faultAt} ms`)).toEqual([]);
    expect(w.alive()).toBe(true);
    expect((await infoOf(w.pid))?.account?.confirmed).toBe(false); // the checks above ran during the outage

    // The stream returns: reconnect, REST read, LIVE again; the position opened meanwhile gets its stop.
    const recoveredFrom = faultAt + OUTAGE_MS;
    await eventually("LIVE again with a confirmed stream", async () => {
      const i = await infoOf(w.pid);
      return i?.toggles?.state === "EXIT_BRAIN_V3_LIVE" && i.toggles.confirmed && i.account?.confirmed === true;
    }, 30_000, 50).catch(async (err: unknown) => {
      // Say why: the heartbeat's account and request-weight figures, the worker's account lines.
      throw new Error(`${String(err)}; heartbeat ${JSON.stringify(await infoOf(w.pid))}; worker log:\n${w.output().split("\n").filter((l) => /ACCOUNT|WEIGHT|error|ERROR/.test(l)).slice(-30).join("\n")}`);
    });
    const recoveredMs = Date.now() - recoveredFrom;
    expect(w.output()).toMatch(/\[ACCOUNT\] account state confirmed by the user-data stream/);
    await eventually("the position opened during the outage protected too", () => stopsPerPosition(sim).length === 2 && stopsPerPosition(sim).every((p) => p.stops >= 1), 30_000);
    expect(w.alive()).toBe(true);
    printFigures("user-data-stream-drop", { gapLimitMs: GAP_MS, detectedMs, outageMs: OUTAGE_MS, recoveredAfterOutageMs: recoveredMs, stopsKept: stopsAtFault.size });
  });
});
