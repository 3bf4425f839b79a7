// The process reading the worker's stdout stops reading (issue 19's last finding: in CI the e2e
// runner's pipe filled and the worker's synchronous console write froze its event loop for 44 s:
// lease lost, heartbeat stale, "worker: DOWN"). Here a LIVE worker process's stdout and stderr are
// not read for longer than the lease and heartbeat horizons while positions open and close on the
// simulator.
// Shows: the worker keeps beating and keeps its lease (same epoch) throughout, the positions opened
// during the stall get their protective stop while the console is still stalled, the log file has
// every line; once reading resumes, the lines the console held back arrive.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../sim/server/start-simulator";
import { TEST_CREDENTIALS } from "../../sim/testing/test-simulator";
import { createTestDatabase, type TestDatabase } from "../test-database";
import { apiOrders, closePosition, dbPool, heartbeatAgeS, heartbeatOf, leaderRow, openPosition, stopsPerPosition } from "./support/fault-world";
import { goLive } from "./support/go-live";
import { eventually, printFigures, sleep, spawnWorker, workerEnv, type WorkerProcess } from "./support/worker-process";

/** Longer than the lease (3 s) and the watchdog's stale-heartbeat limit (10 s) many times over, and
 *  long enough for the worker's own lines to fill the socket's kernel buffer early on. */
const STALL_MS = 60_000;
/** The watchdog's default WATCHDOG_HEARTBEAT_STALE_S: a beat older than this reads as a dead worker. */
const HEARTBEAT_STALE_S = 10;
/** market ms per wall ms: prices move, so the executor trails its stops */
const SPEED = 60;
/** Positions opened and closed in turn during the stall (BTCUSDT stays open throughout). */
const CHURN: readonly [string, "long" | "short"][] = [["ETHUSDT", "short"], ["SOLUSDT", "long"], ["XRPUSDT", "short"]];
/** How long one churned position may wait for its stop before it counts as unprotected. */
const PROTECT_WITHIN_MS = 10_000;

let t: TestDatabase;
let sim: RunningSimulator;
let pool: pg.Pool;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  t = await createTestDatabase("faultstdoutstall");
  pool = dbPool(t.url);
  sim = await startSimulator({ port: 0, credentials: TEST_CREDENTIALS, speed: SPEED, demoTrader: false, seed: 31 });
});
afterAll(async () => {
  worker?.child.stdout?.resume();
  worker?.child.stderr?.resume();
  await worker?.stop();
  await sim?.close();
  await pool?.end();
  await t?.drop();
});

interface Info {
  toggles?: { confirmed: boolean; state: string };
  ha?: { leader: boolean; epoch: number | null };
}
const infoOf = async (pid: number): Promise<Info | undefined> => (await heartbeatOf(pool, pid))?.info as Info | undefined;

const allProtected = (): boolean => stopsPerPosition(sim).every((p) => p.stops >= 1);

/** The position on `symbol` rests on a closing-side stop on the simulator's books. */
function hasClosingStop(symbol: string): boolean {
  const amt = sim.sim.engine.book.amt(symbol);
  if (amt === 0) return false;
  const closing = amt > 0 ? "SELL" : "BUY";
  return sim.sim.engine.openAlgos(symbol).some((a) => a.side === closing && (a.orderType === "STOP_MARKET" || a.orderType === "TRAILING_STOP_MARKET"));
}

/** The worker placed a closing-side stop on `symbol` since the simulator's order log had `from` entries (it may have filled since: prices move). */
function stopPlacedSince(symbol: string, side: "long" | "short", from: number): boolean {
  const closing = side === "long" ? "SELL" : "BUY";
  return apiOrders(sim, from).some((o) => o.symbol === symbol && o.side === closing && (o.type === "STOP_MARKET" || o.type === "TRAILING_STOP_MARKET"));
}

describe("[FAULTS] the worker's stdout reader stops reading while LIVE", () => {
  it("the worker keeps beating and leading, protects new positions, keeps every line in the file, and the console gets the held-back lines once read again", async () => {
    await goLive(t.db, "LIVE for the stdout stall scenario");
    await openPosition(sim, "BTCUSDT", "long");
    // The metrics summary every second: a worker that logs steadily, as a busy one does.
    const w = spawnWorker("stall", workerEnv(t.url, sim, { EXIT_BRAIN_INTERVAL_S: "0.5", EXIT_METRICS_INTERVAL_S: "1" }));
    worker = w;
    await eventually("the worker leads in LIVE", async () => {
      const i = await infoOf(w.pid);
      return i?.toggles?.state === "EXIT_BRAIN_V3_LIVE" && i.toggles.confirmed && i.ha?.leader === true;
    }, 60_000);
    await eventually("BTCUSDT protected by the executor", () => stopsPerPosition(sim).length === 1 && allProtected(), 60_000);
    const leaderBefore = await leaderRow(pool);
    expect(leaderBefore?.holderId).toContain(`:${w.pid}:`);

    // The fault: nobody reads the worker's stdout or stderr; the pipes' kernel buffers fill.
    w.child.stdout?.pause();
    w.child.stderr?.pause();
    const stallStart = Date.now();
    const consoleAtStall = w.output().length;
    let maxBeatAgeS = 0;
    const leaders = new Set<string>();
    const sample = async () => {
      maxBeatAgeS = Math.max(maxBeatAgeS, (await heartbeatAgeS(pool, w.pid)) ?? Infinity);
      const l = await leaderRow(pool);
      leaders.add(`${l?.holderId ?? "none"}#${l?.epoch ?? "-"}`);
    };
    // Positions open and close on the simulator meanwhile, three at a time: each must get its
    // closing-side stop while open. The churn is also what the worker logs about (guard, gateway,
    // order lines, tens a second), so the kernel's socket buffer (about 380 writes) fills early in
    // the stall (with the metrics lines): from there the previous logger's synchronous write froze
    // the worker.
    const churned: { symbol: string; protectedAfterMs: number | null }[] = [];
    while (Date.now() - stallStart < STALL_MS) {
      const logFrom = sim.sim.engine.log.accepted.length;
      for (const [symbol, side] of CHURN) await openPosition(sim, symbol, side, 300);
      const openedAt = Date.now();
      const waiting = new Set(CHURN.map(([symbol]) => symbol));
      while (waiting.size > 0 && Date.now() - openedAt < PROTECT_WITHIN_MS) {
        await sample();
        for (const [symbol, side] of CHURN) {
          // a stop resting on the position, or one placed for it that has filled since (prices move)
          if (!waiting.has(symbol) || !(hasClosingStop(symbol) || stopPlacedSince(symbol, side, logFrom))) continue;
          churned.push({ symbol, protectedAfterMs: Date.now() - openedAt });
          waiting.delete(symbol);
        }
        await sleep(100);
      }
      for (const symbol of waiting) churned.push({ symbol, protectedAfterMs: null });
      for (const [symbol] of CHURN) await closePosition(sim, symbol);
      // long enough for the worker to see the symbols flat (it cancels the leftover orders), so the
      // next round's positions are new ones it takes over
      for (let i = 0; i < 6; i++) {
        await sample();
        await sleep(250);
      }
    }
    const stallMs = Date.now() - stallStart;
    // Still stalled: nothing was read; the worker is alive, beat and led throughout, and protected
    // every position opened meanwhile.
    expect(w.output().length).toBe(consoleAtStall);
    expect(w.alive()).toBe(true);
    expect(maxBeatAgeS).toBeLessThan(HEARTBEAT_STALE_S);
    expect([...leaders]).toEqual([`${leaderBefore!.holderId}#${leaderBefore!.epoch}`]);
    expect(churned.filter((c) => c.protectedAfterMs === null), "positions opened during the stall that got no stop").toEqual([]);
    expect(sim.sim.engine.book.amt("BTCUSDT") === 0 || hasClosingStop("BTCUSDT"), "BTCUSDT open without a stop").toBe(true); // its stop may have filled: prices move

    // Reading resumes: what the stall held back reaches the console. At this volume the stall fits
    // in the console's 4 MiB bound, so nothing is dropped (dropping beyond the bound, its count and
    // the "[LOG] dropped N console lines" line: src/server/bounded-console.test.ts).
    const resumedAt = Date.now();
    w.child.stdout?.resume();
    w.child.stderr?.resume();
    const fileRecords = () =>
      w.logText().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as { time: number; msg?: string });
    const heldBack = fileRecords().filter((r) => r.time >= stallStart && r.time < resumedAt).map((r) => r.msg ?? "");
    await eventually("every line of the stall on the console", () => heldBack.every((m) => w.output().includes(m)), 30_000);
    expect(w.output()).not.toContain("[LOG] dropped");
    expect(w.alive()).toBe(true);
    expect((await infoOf(w.pid))?.ha).toEqual({ leader: true, epoch: leaderBefore!.epoch });

    // The file: every line whole JSON, every console line in it, the churn's order lines too.
    await w.stop();
    const records = fileRecords();
    const fileMsgs = new Set(records.map((r) => r.msg ?? ""));
    const consoleLines = w.output().split("\n").filter((l) => /^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+:/.test(l));
    const notInFile = consoleLines
      .map((l) => l.replace(/^\[[^\]]+\] [A-Z]+: /, ""))
      .filter((m) => !fileMsgs.has(m) && !fileMsgs.has(m.replace(/ \{.*\}$/, "")));
    expect(notInFile).toEqual([]);
    for (const [symbol] of CHURN) expect([...fileMsgs].some((m) => m.includes("[EXIT_GATEWAY]") && m.includes(symbol)), `the file's gateway lines for ${symbol}`).toBe(true);

    printFigures("stdout-stall", {
      stallMs,
      maxHeartbeatAgeS: Number(maxBeatAgeS.toFixed(2)),
      leaseEpoch: leaderBefore!.epoch,
      positionsOpenedDuringStall: churned.length,
      slowestProtectionMs: Math.max(...churned.map((c) => c.protectedAfterMs ?? Infinity)),
      linesDuringStall: heldBack.length,
      fileLines: records.length,
      consoleLines: consoleLines.length,
    });
  }, 200_000); // a 60 s stall on top of the start-up and the catch-up
});
