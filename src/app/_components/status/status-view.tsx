"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../error-box";
import { ReadinessList } from "../readiness-list";
import { RollbackAction } from "../rollback-action";
import { ExecutorCard } from "./executor-card";
import { MetricsCard } from "./metrics-card";
import { OrdersCharts } from "./orders-charts";
import { PositionsCard } from "./positions-card";
import { StateBanner } from "./state-banner";
import { TogglesCard } from "./toggles-card";
import { WarningsCard } from "./warnings-card";

export function StatusView({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.health.exitBrainStatus.queryOptions(undefined, { refetchInterval: 1000 }));
  const s = q.data;
  return (
    <div className="stack">
      <ErrorBox error={q.error} />
      {s ? (
        <>
          <StateBanner state={s.operational_state} />
          {canOperate ? (
            <div className="btn-row" aria-label="Rollbacks">
              <RollbackAction target="shadow" compact />
              <RollbackAction target="legacy" compact />
              <a className="btn" href="/controls" style={{ display: "inline-flex", alignItems: "center" }}>
                Go LIVE / approvals →
              </a>
            </div>
          ) : null}
          <WarningsCard warnings={s.warnings} />
          <div className="grid">
            <TogglesCard stored={s.stored_toggles} effective={{ EXIT_MODE: s.config.exit_mode, EXIT_EXECUTOR_MODE: s.config.exit_executor_mode, EXIT_BRAIN_V3_LIVE_ROLLOUT: s.config.exit_brain_live_rollout }} ceilings={s.ceilings} version={s.toggles_version} />
            <ExecutorCard executor={s.executor} worker={s.worker} />
            <MetricsCard metrics={s.metrics} />
          </div>
          {s.readiness ? (
            <section className="card" aria-label="Readiness">
              <h2>
                Readiness <span className={`pill ${s.readiness.ready_for_live ? "tone-ok" : "tone-warn"}`}>{s.readiness.ready_for_live ? "ready for LIVE" : "not ready for LIVE"}</span>
              </h2>
              <ReadinessList readiness={s.readiness} />
            </section>
          ) : null}
        </>
      ) : q.isLoading ? (
        <p className="muted">Loading status…</p>
      ) : null}
      <PositionsCard />
      <OrdersCharts />
    </div>
  );
}
