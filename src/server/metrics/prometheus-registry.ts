// Prometheus exposition (prom-client). Values are read from PostgreSQL at scrape time, so every
// web process reports the same numbers and nothing is lost on restart.
import client from "prom-client";
import type { Db } from "../db/client";
import { getExitBrainStatus } from "../services/status/get-exit-brain-status";

const STATES = ["LEGACY", "EXIT_BRAIN_V3_SHADOW", "EXIT_BRAIN_V3_LIVE"] as const;

export function createMetricsRegistry(getDb: () => Db): client.Registry {
  const registry = new client.Registry();
  let last: Awaited<ReturnType<typeof getExitBrainStatus>> | null = null;
  let lastAt = 0;
  // One status read serves every collector of a scrape.
  const status = async () => {
    if (!last || Date.now() - lastAt > 500) {
      last = await getExitBrainStatus(getDb());
      lastAt = Date.now();
    }
    return last;
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: client.Gauge, s: NonNullable<typeof last>) => void) =>
    new client.Gauge({
      name, help, labelNames, registers: [registry],
      async collect() {
        this.reset();
        fill(this, await status());
      },
    });

  gauge("exit_brain_operational_state", "1 for the current operational state", ["state"], (g, s) => {
    for (const st of STATES) g.set({ state: st }, s.operational_state === st ? 1 : 0);
  });
  gauge("exit_brain_toggles_version", "version of the stored toggle row", [], (g, s) => g.set(s.toggles_version ?? 0));
  gauge("exit_brain_exit_orders_total", "exit order attempts through the gateway", [], (g, s) => g.set(s.metrics.total_exit_orders));
  gauge("exit_brain_blocked_legacy_orders_total", "legacy orders blocked in LIVE", [], (g, s) => g.set(s.metrics.blocked_legacy_orders));
  gauge("exit_brain_ownership_conflicts_total", "legacy orders while EXIT_MODE=EXIT_BRAIN_V3", [], (g, s) => g.set(s.metrics.ownership_conflicts));
  gauge("exit_brain_orders_placed_by_module", "placed exit orders by module", ["module"], (g, s) => {
    for (const [m, n] of Object.entries(s.metrics.orders_by_module)) g.set({ module: m }, n);
  });
  gauge("exit_brain_orders_placed_by_kind", "placed exit orders by kind", ["kind"], (g, s) => {
    for (const [k, n] of Object.entries(s.metrics.orders_by_kind)) g.set({ kind: k }, n);
  });
  gauge("exit_brain_worker_up", "1 when a worker heartbeat is fresh", [], (g, s) => g.set(s.worker.up ? 1 : 0));
  gauge("exit_brain_worker_heartbeat_age_seconds", "seconds since the last worker heartbeat", [], (g, s) => g.set(s.worker.seconds_since_beat ?? -1));
  gauge("exit_brain_executor_running", "1 when the executor runs", [], (g, s) => g.set(s.executor.running ? 1 : 0));
  return registry;
}
