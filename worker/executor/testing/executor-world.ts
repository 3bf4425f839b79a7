// The Exit Brain executor as the worker runs it, for integration tests: the sim test world (a
// database with the toggle row, the simulator, the ccxt port, a pool), the toggles set to what the
// test starts in, the real toggle watcher, price stream and exchange snapshot (refreshed on a timer,
// as the worker's account cycle does), and the executor sending through the real gateway.
// Two probes the tests read: a symbol in `broken` gets candles with impossible prices (its
// position's data is broken), and `cancels` records, at each cancel, how many executor stops rest
// on that symbol (which proves a new stop is placed before the old one is cancelled).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseExitBrainParams, type ExitBrainParams } from "../../../src/core/exit-brain";
import { parseCeilings, type ToggleSet } from "../../../src/core/toggles";
import type { Logger } from "../../../src/server/logger";
import { changeToggles } from "../../../src/server/services/toggles/change-toggles";
import { ExchangeSnapshot } from "../../account/exchange-snapshot";
import { PositionSource } from "../../account/position-source";
import type { OrderPort, OrderRef } from "../../exchange/exchange-port";
import { startSimTestWorld, type SimTestWorld, type SimTestWorldOptions } from "../../exchange/testing/sim-test-world";
import { ExitOrderGateway } from "../../gateway/exit-order-gateway";
import { CandleSource } from "../../market/candle-source";
import { PriceStream } from "../../market/price-stream";
import { ToggleWatcher } from "../../toggles/toggle-watcher";
import type { ExecutorConfig } from "../executor-config";
import { startExecutor, type RunningExecutor } from "../start-executor";
import { cleanupStack } from "../../../test/cleanup-stack";

export interface ExecutorWorldOptions extends Pick<SimTestWorldOptions, "database" | "mode"> {
  /** the toggles in force when the watcher and the executor start */
  toggles: ToggleSet;
  /** the symbols the price stream follows */
  symbols: string[];
  /** how often the snapshot is refreshed (ms; the worker's account cycle: every 2 s by default) */
  refreshMs: number;
  log: Logger;
  /** Exit Brain's parameters (default: parseExitBrainParams({})) */
  params?: ExitBrainParams;
  /** write the shadow JSONL file (in a temporary folder, `shadowFile`); default: no file */
  shadowLog?: boolean;
  /** runs once the database, simulator and port are up and the toggles set, before anything follows them */
  prepare?: (w: SimTestWorld) => Promise<void>;
}

export interface ExecutorWorld extends Omit<SimTestWorld, "close"> {
  toggles: ToggleWatcher;
  running: RunningExecutor;
  /** the shadow JSONL file, or null without `shadowLog` */
  shadowFile: string | null;
  broken: Set<string>;
  cancels: { ref: OrderRef; openStopsAtCancel: number }[];
  /** stops what started, last-started first, each step even when an earlier one failed */
  close(): Promise<void>;
}

export async function startExecutorWorld(o: ExecutorWorldOptions): Promise<ExecutorWorld> {
  const opened = cleanupStack("executor world");
  const close = opened.close;
  try {
    // The folder first, so it is removed last, once the executor has flushed its file.
    const dir = o.shadowLog ? await mkdtemp(path.join(tmpdir(), "executor-")) : null;
    if (dir) opened.push(() => rm(dir, { recursive: true, force: true }));
    const world = await startSimTestWorld({ database: o.database, mode: o.mode, timeoutMs: 3000 });
    opened.push(() => world.close());
    const { t, sim, port, pool } = world;
    await changeToggles(t.db, { changes: o.toggles, actor: "test", source: "cli", reason: "test", confirmLive: true, ceilings: {} });
    await o.prepare?.(world);
    const toggles = new ToggleWatcher({ connectionString: t.url, ceilings: parseCeilings({}), log: o.log, pollMs: 200 });
    await toggles.start();
    opened.push(() => toggles.stop());
    const prices = new PriceStream(port, o.symbols, { initialBackoffMs: 50 });
    prices.start();
    opened.push(() => prices.stop());
    const snapshot = new ExchangeSnapshot(port, new PositionSource(port, prices), o.log);
    await snapshot.refresh();
    const refresher = setInterval(() => void snapshot.refresh(), o.refreshMs);
    opened.push(async () => clearInterval(refresher));

    const broken = new Set<string>();
    const cancels: ExecutorWorld["cancels"] = [];
    const countingCancels: OrderPort = {
      placeExitOrder: (req, clientOrderId) => port.placeExitOrder(req, clientOrderId),
      fetchOrderByClientId: (symbol, clientOrderId, conditional) => port.fetchOrderByClientId(symbol, clientOrderId, conditional),
      positionMode: () => port.positionMode(),
      cancelOrder: async (ref) => {
        const open = sim.sim.engine.openAlgos().filter((a) => a.symbol === ref.symbol && a.orderType === "STOP_MARKET" && a.clientAlgoId.startsWith("eb-"));
        cancels.push({ ref, openStopsAtCancel: open.length });
        return port.cancelOrder(ref);
      },
    };
    const candles = new CandleSource(port, { now: Date.now });
    const shadowFile = dir ? path.join(dir, "data", "exit_brain_shadow.jsonl") : null;
    const config: ExecutorConfig = {
      intervalS: 0.3, timeframe: "5m", debounceMs: 50, shadowLogFile: shadowFile, holdSample: 1, flushMs: 100, flushRows: 500,
      params: o.params ?? parseExitBrainParams({}), maxActionsPerEvaluation: 4, retryBackoff: { firstMs: 2_500, maxMs: 5_000 },
    };
    const running = startExecutor({
      db: t.db,
      port: { fetchCandles: (s, tf, n) => port.fetchCandles(s, tf, n) },
      snapshot,
      prices,
      candles: {
        recent: async (s, tf, n) => {
          const c = await candles.recent(s, tf, n);
          return broken.has(s) ? c.map((x) => ({ ...x, high: Number.NaN })) : c;
        },
      },
      gateway: new ExitOrderGateway({ pool, exchange: countingCancels, ceilings: parseCeilings({}), log: o.log, backoffMs: 20 }),
      toggles,
      log: o.log,
      config,
    });
    opened.push(() => running.stop());
    return { t, sim, port, pool, toggles, running, shadowFile, broken, cancels, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
