// The one fixture of the fault suite: a fresh database (runtime-role pool for the test's reads),
// the in-process simulator (manual clock unless a speed is given, no demo trader, one seed per
// file so runs repeat), the worker processes the test starts on them, and one disposer that
// stops the workers first and then closes the rest, in that order, even when a step fails.
// `suiteFaultWorld` registers it on the surrounding suite's beforeAll/afterAll.
import type pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { startSimulator, type RunningSimulator } from "../../../sim/server/start-simulator";
import { TEST_CREDENTIALS, type TestPositionMode } from "../../../sim/testing/test-simulator";
import { createTestDatabase, type TestDatabase } from "../../test-database";
import type { ChangeResult } from "../../../src/server/services/toggles/change-toggles";
import { dbPool } from "./fault-world";
import { goLive } from "./go-live";
import { spawnWorker, workerEnv, type WorkerProcess } from "./worker-process";

export interface FaultWorldOptions {
  /** label of the test database (createTestDatabase); null: the test brings its own PostgreSQL */
  database: string | null;
  /** the simulator's random seed */
  seed: number;
  /** market ms per wall ms (default 0: the clock moves only when the test says) */
  speed?: number;
  /** the account's position mode, set before any position exists (default one-way) */
  mode?: TestPositionMode;
  /** the simulator's API key and secret (default TEST_CREDENTIALS, which workerEnv sends) */
  credentials?: { apiKey: string; apiSecret: string };
  /** environment every worker of this world gets on top of workerEnv's */
  env?: Record<string, string>;
}

export interface FaultWorld {
  /** the test database (runtime role), unless started with database: null */
  readonly t: TestDatabase;
  /** a small runtime-role pool on it for the test's own reads */
  readonly pool: pg.Pool;
  readonly sim: RunningSimulator;
  /** every worker started through this world, in start order */
  readonly workers: readonly WorkerProcess[];
  /** workerEnv on this world's database and simulator, with the world's env, then `over` */
  workerEnv(over?: Record<string, string>): Record<string, string>;
  /** starts a worker (default environment: workerEnv()) and stops it at dispose */
  startWorker(name: string, env?: Record<string, string>): WorkerProcess;
  /** boots the toggles on this world's database and goes LIVE (go-live.ts); `reason` goes to the audit row */
  goLive(reason: string): Promise<ChangeResult>;
  /** runs `fn` at dispose, after the workers stopped and before the simulator and database close */
  onDispose(fn: () => Promise<unknown> | unknown): void;
  dispose(): Promise<void>;
}

export async function startFaultWorld(opts: FaultWorldOptions): Promise<FaultWorld> {
  const workers: WorkerProcess[] = [];
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  let t: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let sim: RunningSimulator | undefined;
  const dispose = async () => {
    const errors: unknown[] = [];
    const step = async (fn: () => Promise<unknown> | unknown) => {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    };
    for (const w of workers) await step(() => w.stop());
    for (const fn of cleanups.reverse()) await step(fn);
    await step(() => sim?.close());
    await step(() => pool?.end());
    await step(() => t?.drop());
    if (errors.length > 0) throw new AggregateError(errors, `fault world: ${errors.length} clean-up step(s) failed`);
  };
  try {
    if (opts.database !== null) {
      t = await createTestDatabase(opts.database);
      pool = dbPool(t.url);
    }
    sim = await startSimulator({ port: 0, credentials: opts.credentials ?? TEST_CREDENTIALS, speed: opts.speed ?? 0, demoTrader: false, seed: opts.seed });
    if (opts.mode === "hedge") sim.sim.engine.setDualSide(true); // before any position: only an empty account switches
  } catch (err) {
    await dispose().catch(() => {});
    throw err;
  }
  const running = sim;
  const noDatabase = () => new Error("this fault world was started with database: null; the test owns its PostgreSQL");
  const world: FaultWorld = {
    get t() {
      if (!t) throw noDatabase();
      return t;
    },
    get pool() {
      if (!pool) throw noDatabase();
      return pool;
    },
    sim: running,
    workers,
    workerEnv: (over = {}) => workerEnv(world.t.url, running, { ...opts.env, ...over }),
    startWorker(name, env) {
      const w = spawnWorker(name, env ?? world.workerEnv());
      workers.push(w);
      return w;
    },
    goLive: (reason) => goLive(world.t.db, reason),
    onDispose: (fn) => void cleanups.push(fn),
    dispose,
  };
  return world;
}

/**
 * Starts a fault world in the surrounding suite's beforeAll and disposes of it in its afterAll.
 * The returned object answers once beforeAll has run (inside tests and later hooks); before
 * that, reading it throws saying so.
 */
export function suiteFaultWorld(opts: FaultWorldOptions): FaultWorld {
  let world: FaultWorld | undefined;
  const started = () => {
    if (!world) throw new Error("the fault world is started in beforeAll: use it inside a test or a later hook");
    return world;
  };
  beforeAll(async () => {
    world = await startFaultWorld(opts);
  });
  afterAll(async () => {
    await world?.dispose();
  });
  return {
    get t() {
      return started().t;
    },
    get pool() {
      return started().pool;
    },
    get sim() {
      return started().sim;
    },
    get workers() {
      return started().workers;
    },
    workerEnv: (over) => started().workerEnv(over),
    startWorker: (name, env) => started().startWorker(name, env),
    goLive: (reason) => started().goLive(reason),
    onDispose: (fn) => started().onDispose(fn),
    dispose: () => started().dispose(),
  };
}
