// The database refuses writes for lack of disk space (issue 19), with a LIVE worker process. The
// refusal is PostgreSQL's own SQLSTATE 53100, raised by a trigger the owner installs on
// shadow_decision (a real full disk cannot be arranged for a shared test server). Shows: the worker
// says so (log, heartbeat: toggles unconfirmed + SHADOW, disk warning), the executor acts as
// SHADOW (no order, no cancel: every stop resting on the exchange stays, by id), the worker stays
// up; when the database accepts writes again, the executor is LIVE again. Then the heartbeat table
// refuses too: the worker neither crashes nor spins, says so, and its beats resume.
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { computeExitBrainStatus } from "../../src/server/services/status/get-exit-brain-status";
import { attempts, heartbeatOf, openPosition, restingStopIds, stopsPerPosition } from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, printFigures, sleep } from "./support/worker-process";

const world = suiteFaultWorld({ database: "faultdbfull", seed: 7 });
let owner: pg.Client;

beforeAll(async () => {
  owner = new pg.Client({ connectionString: world.t.ownerUrl });
  await owner.connect();
  world.onDispose(() => owner.end());
});

interface Info {
  toggles?: { confirmed: boolean; state: string };
  disk?: { low: boolean; database_full: boolean; warnings: string[] };
}

const infoOf = async (pid: number): Promise<Info | undefined> => (await heartbeatOf(world.pool, pid))?.info as Info | undefined;

/** Open stop orders on the exchange, by id. */
const restingStops = (): Set<string> => restingStopIds(world.sim);

describe("[FAULTS] the database refuses writes (disk full, SQLSTATE 53100) while LIVE", () => {
  it("the executor acts as unconfirmed SHADOW and says so, nothing resting is cancelled, LIVE resumes when writes are accepted; a refused heartbeat neither crashes nor spins the worker", async () => {
    const { t, sim, pool } = world;
    await world.goLive("LIVE for the database-full scenario");
    await openPosition(sim, "BTCUSDT", "long");
    await openPosition(sim, "ETHUSDT", "short");
    const w = world.startWorker("dbfull", world.workerEnv({ EXIT_BRAIN_INTERVAL_S: "0.5", DISK_CHECK_INTERVAL_S: "0.2", DISK_MIN_FREE_MB: "0", DISK_MIN_FREE_PCT: "0" }));
    await eventually("the worker leads in LIVE", async () => (await infoOf(w.pid))?.toggles?.state === "EXIT_BRAIN_V3_LIVE", 60_000);
    await eventually("both positions protected by the executor", () => stopsPerPosition(sim).length === 2 && stopsPerPosition(sim).every((p) => p.stops >= 1), 60_000);

    // The fault: every write to shadow_decision (the recorder's batches, the worker's probe) is refused as a full disk.
    await owner.query(`
      CREATE FUNCTION fault_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = '53100'; END $$;
      CREATE TRIGGER fault_disk_full BEFORE INSERT ON shadow_decision FOR EACH STATEMENT EXECUTE FUNCTION fault_disk_full();`);
    const faultAt = Date.now();
    const info = await eventually("the worker reports the database refusing writes", async () => {
      const i = await infoOf(w.pid);
      return i?.disk?.database_full ? i : undefined;
    }, 30_000, 50);
    const detectedMs = Date.now() - faultAt;
    expect(info.toggles).toMatchObject({ confirmed: false, state: "EXIT_BRAIN_V3_SHADOW" });
    expect(info.disk!.warnings.join(" ")).toMatch(/53100.*SHADOW/);
    await eventually("the worker's log says so", () => /\[DISK\] The database refuses writes/.test(w.output()), 10_000);

    // While refused: no executor order or cancel; every stop that rested on the exchange stays.
    const stopsAtFault = restingStops();
    const executorAttemptsAtFault = (await attempts(pool)).filter((a) => a.module === "exit_executor").length;
    await sleep(3_000); // six evaluation intervals
    const stopsAfter = restingStops();
    for (const id of stopsAtFault) expect(stopsAfter.has(id), `stop ${id} was cancelled`).toBe(true);
    expect((await attempts(pool)).filter((a) => a.module === "exit_executor").length).toBe(executorAttemptsAtFault);
    expect(w.alive()).toBe(true);

    // Writes accepted again: LIVE resumes, the warning goes.
    await owner.query(`DROP TRIGGER fault_disk_full ON shadow_decision; DROP FUNCTION fault_disk_full();`);
    const recoveredAt = Date.now();
    await eventually("LIVE again, no disk warning", async () => {
      const i = await infoOf(w.pid);
      return i?.toggles?.state === "EXIT_BRAIN_V3_LIVE" && i.toggles.confirmed && i.disk?.database_full === false;
    }, 30_000, 50);
    const recoveredMs = Date.now() - recoveredAt;
    expect(w.output()).toMatch(/\[DISK\] The database accepts writes again/);
    expect(stopsPerPosition(sim).every((p) => p.stops >= 1)).toBe(true);

    // The heartbeat refused too (the whole database out of space): the worker stays up, tries once
    // per interval (a sequence counts the refused tries: nextval survives the rollback), says why
    // once, the health JSON (readable) warns, and the beats resume when space returns.
    await owner.query(`
      CREATE SEQUENCE fault_heartbeat_tries;
      CREATE FUNCTION fault_disk_full() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF TG_TABLE_NAME = 'worker_heartbeat' THEN PERFORM nextval('fault_heartbeat_tries'); END IF;
        RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = '53100';
      END $$;
      CREATE TRIGGER fault_disk_full BEFORE INSERT ON shadow_decision FOR EACH STATEMENT EXECUTE FUNCTION fault_disk_full();
      CREATE TRIGGER fault_disk_full BEFORE INSERT OR UPDATE ON worker_heartbeat FOR EACH STATEMENT EXECUTE FUNCTION fault_disk_full();`);
    const refusedLine = /\[WORKER\] heartbeat not written: the database refuses writes \(disk full\)/;
    await eventually("the worker says its heartbeat is refused", () => refusedLine.test(w.output()), 15_000);
    const tries = async () => Number((await owner.query<{ n: string }>(`SELECT last_value AS n FROM fault_heartbeat_tries`)).rows[0]!.n);
    const triesFrom = await tries();
    const outageFrom = Date.now();
    await sleep(6_000); // past WORKER_STALE_AFTER_MS: the health JSON sees no fresh beat
    const refusedTries = (await tries()) - triesFrom;
    const intervals = (Date.now() - outageFrom) / 250; // HEARTBEAT_INTERVAL_MS in workerEnv
    expect(refusedTries).toBeGreaterThan(0); // still trying ...
    expect(refusedTries).toBeLessThanOrEqual(intervals * 2 + 10); // ... but not spinning
    expect(w.alive()).toBe(true);
    expect(w.output().match(new RegExp(refusedLine.source, "g"))).toHaveLength(1); // said once, not per try
    const duringOutage = await computeExitBrainStatus(t.db);
    expect(duringOutage.warnings.join(" ")).toMatch(/Worker is down: last heartbeat \d+ s ago/);

    await owner.query(`DROP TRIGGER fault_disk_full ON shadow_decision; DROP TRIGGER fault_disk_full ON worker_heartbeat; DROP FUNCTION fault_disk_full(); DROP SEQUENCE fault_heartbeat_tries;`);
    await eventually("the heartbeat resumes", () => /\[WORKER\] heartbeat restored after \d+ missed beat/.test(w.output()), 15_000);
    await eventually("the health JSON sees the worker up again", async () => {
      const st = await computeExitBrainStatus(t.db);
      return !st.warnings.some((x) => x.startsWith("Worker is down"));
    }, 15_000);
    expect(w.alive()).toBe(true);
    printFigures("database-full", { detectedMs, recoveredMs, stopsKept: stopsAtFault.size, heartbeatTriesWhileRefused: refusedTries, heartbeatIntervals: Math.round(intervals) });
  });
});
