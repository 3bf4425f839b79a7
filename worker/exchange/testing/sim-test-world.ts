// For integration tests of worker parts that talk to the exchange: a fresh database with the
// toggle row seeded (bootToggles, as at the worker's start), the in-process test simulator (its
// account emptied and put in `mode` when given), the worker's ccxt port on it and a small pool;
// `close()` releases them in reverse order, each step even when an earlier one failed.
import pg from "pg";
import type { RunningSimulator } from "../../../sim/server/start-simulator";
import { resetAccount, startTestSimulator, type TestPositionMode } from "../../../sim/testing/test-simulator";
import { bootToggles } from "../../../src/server/services/toggles/boot-toggles";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import type { ExchangePort } from "../exchange-port";
import { connectSimExchange } from "./sim-exchange";
import { cleanupStack } from "../../../test/cleanup-stack";

export interface SimTestWorldOptions {
  /** label of the test database */
  database: string;
  /** empty the account and put it in this position mode before the port connects */
  mode?: TestPositionMode;
  /** the port's request timeout (ms) */
  timeoutMs?: number;
  /** the simulator's limit of open conditional orders per symbol (default 200; Binance: 10) */
  maxAlgoOrdersPerSymbol?: number;
}

export interface SimTestWorld {
  t: TestDatabase;
  sim: RunningSimulator;
  port: ExchangePort;
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function startSimTestWorld(opts: SimTestWorldOptions): Promise<SimTestWorld> {
  // what has started so far, closed last-started first (also when the start itself fails)
  const opened = cleanupStack("sim test world");
  const close = opened.close;
  try {
    const t = await createTestDatabase(opts.database);
    opened.push(() => t.drop());
    await bootToggles(t.db, {});
    const sim = await startTestSimulator({ maxAlgoOrdersPerSymbol: opts.maxAlgoOrdersPerSymbol });
    opened.push(() => sim.close());
    if (opts.mode) await resetAccount(sim, opts.mode);
    const port = await connectSimExchange(sim, { timeoutMs: opts.timeoutMs });
    opened.push(() => port.close());
    const pool = new pg.Pool({ connectionString: t.url, max: 4 });
    opened.push(() => pool.end());
    return { t, sim, port, pool, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
