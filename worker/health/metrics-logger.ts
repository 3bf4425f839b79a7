// Logs the runbook's [EXIT_METRICS] summary every interval, from the stored attempts' running
// counts, after folding the counts' deltas (they grow by a few rows per order between folds).
import { metricsLogLines } from "../../src/core/status/metrics-log-lines";
import type { OperationalState } from "../../src/core/toggles";
import type { Db } from "../../src/server/db/client";
import type { Logger } from "../../src/server/logger";
import { compactAttemptTally, getExitMetrics } from "../../src/server/services/status/get-exit-metrics";

export function startMetricsLogger(o: { db: Db; log: Logger; intervalMs: number; state: () => OperationalState }): { stop(): void; logNow(): Promise<void> } {
  const logNow = async () => {
    try {
      await compactAttemptTally(o.db);
      for (const line of metricsLogLines(await getExitMetrics(o.db), o.state())) o.log.info(line);
    } catch (err) {
      o.log.warn({ err }, "[EXIT_METRICS] metrics unavailable (database unreachable?)");
    }
  };
  const timer = setInterval(() => void logNow(), o.intervalMs);
  return { stop: () => clearInterval(timer), logNow };
}
