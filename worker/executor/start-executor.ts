// The one call that wires the Exit Brain executor into the worker: decision recorder (JSONL +
// shadow_decision), the executor following the toggles, and the shadow-vs-legacy comparison
// for positions that close while it shadows. Returns stop() and info() for the heartbeat.
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";
import type { ExchangePort } from "../exchange/exchange-port";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { CandleSource } from "../market/candle-source";
import type { ExchangeSnapshot } from "../account/exchange-snapshot";
import type { PriceStream } from "../market/price-stream";
import { compareClosedPosition } from "../shadow/shadow-comparer";
import type { ToggleWatcher } from "../toggles/toggle-watcher";
import { DecisionRecorder, type DecisionRecorderOptions, type SqlPool } from "./decision-recorder";
import { timeframeMs, type ExecutorConfig } from "./executor-config";
import { ExitBrainExecutor, type ExecutorHeartbeat } from "./exit-brain-executor";

export interface StartExecutorOptions {
  db: Pick<Db, "shadowDecision" | "shadowComparison">;
  /** a pg pool for decision batches (one multi-row INSERT each; up to two in flight), not the gateway's */
  pool?: SqlPool | null;
  port: Pick<ExchangePort, "fetchCandles">;
  snapshot: Pick<ExchangeSnapshot, "latest" | "refresh">;
  prices?: Pick<PriceStream, "latest" | "onTicks"> | null;
  candles: Pick<CandleSource, "recent">;
  gateway: Pick<ExitOrderGateway, "submit" | "cancel">;
  toggles: Pick<ToggleWatcher, "view" | "on" | "off">;
  log: Logger;
  config: ExecutorConfig;
  canAct?: () => boolean;
  leaderEpoch?: () => number | null;
  now?: () => number;
  /** SHADOW_LOG_FILE rotation and the disk-pressure switch for optional rows (worker/retention) */
  shadowLog?: Pick<DecisionRecorderOptions, "rotation" | "suppressOptional" | "onWriteError">;
}

export interface RunningExecutor {
  stop(): Promise<void>;
  info(): ExecutorHeartbeat & { comparisons: number };
  /** runs one monitoring cycle now (also scheduled every interval by itself) */
  cycleNow(): Promise<void>;
  executor: ExitBrainExecutor;
}

export function startExecutor(o: StartExecutorOptions): RunningExecutor {
  const tfMs = timeframeMs(o.config.timeframe);
  const recorder = new DecisionRecorder({
    db: o.db, pool: o.pool ?? null, log: o.log, file: o.config.shadowLogFile, holdSample: o.config.holdSample, flushMs: o.config.flushMs, flushRows: o.config.flushRows,
    ...o.shadowLog,
  });
  const comparing = new Set<Promise<void>>();
  let comparisons = 0;
  const executor = new ExitBrainExecutor({
    snapshot: o.snapshot, prices: o.prices, candles: o.candles, gateway: o.gateway, toggles: o.toggles, recorder, log: o.log,
    config: o.config, canAct: o.canAct, leaderEpoch: o.leaderEpoch, now: o.now,
    onShadowClose: (t, closedAt) => {
      const job = compareClosedPosition(
        { db: o.db, port: o.port, timeframe: o.config.timeframe, timeframeMs: tfMs, log: o.log },
        {
          key: t.key, symbol: t.symbol, side: t.side, size: t.maxSize, entryPrice: t.entryPrice, leverage: t.leverage, openedAt: t.openedAt, closedAt,
          lastSeenAt: t.lastSeenAt, lastMark: t.lastMark, reductions: t.reductions, resting: t.resting, decisions: t.decisions,
        },
      )
        .then(() => void comparisons++)
        .catch((err: unknown) => {
          o.log.error({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_BRAIN_SHADOW] shadow-vs-legacy comparison for ${t.key} failed`);
        })
        .finally(() => comparing.delete(job));
      comparing.add(job);
    },
  });
  executor.start();
  return {
    executor,
    cycleNow: () => executor.cycleNow(),
    info: () => ({ ...executor.info(), comparisons }),
    async stop() {
      await executor.stop();
      await Promise.all(comparing);
    },
  };
}
