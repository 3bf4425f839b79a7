"use client";
import { useQuery } from "@tanstack/react-query";
import { runbookView } from "../../../core/status/runbook-actions";
import { useTRPC } from "../../../trpc/react";
import { ArmedBanner } from "../armed-banner";
import { ErrorBox } from "../error-box";
import { ReadinessList, readinessPill } from "../readiness-list";
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
  const view = s ? runbookView(s.stored_toggles, s.ceilings) : null;
  const pill = s?.readiness ? readinessPill(s.readiness) : null;
  return (
    <div className="stack">
      <ErrorBox error={q.error} />
      {s ? (
        <>
          <StateBanner state={s.operational_state} />
          {view ? <ArmedBanner armedBy={view.armedBy} dryRun={view.stage === "dry_run"} /> : null}
          {canOperate && view ? (
            <div className="btn-row" aria-label="Rollbacks">
              {/* Only the rollbacks that would change something; the kill switch is in the top bar. */}
              {view.rollbacks.some((r) => r.id === "shadow") ? <RollbackAction target="shadow" compact /> : null}
              {view.rollbacks.some((r) => r.id === "legacy") ? <RollbackAction target="legacy" compact /> : null}
              <a className="btn" href="/controls" style={{ display: "inline-flex", alignItems: "center" }}>
                Runbook steps / approvals →
              </a>
            </div>
          ) : null}
          <WarningsCard warnings={s.warnings} />
          <div className="grid">
            <TogglesCard stored={s.stored_toggles} effective={{ EXIT_MODE: s.config.exit_mode, EXIT_EXECUTOR_MODE: s.config.exit_executor_mode, EXIT_BRAIN_V3_LIVE_ROLLOUT: s.config.exit_brain_live_rollout }} ceilings={s.ceilings} version={s.toggles_version} state={s.operational_state} />
            <ExecutorCard executor={s.executor} worker={s.worker} />
            <MetricsCard metrics={s.metrics} period={s.metrics_period} lifetime={s.metrics_lifetime} assessment={s.metrics_assessment} />
          </div>
          {s.readiness ? (
            <section className="card" aria-label="Readiness">
              <h2>
                Readiness {pill ? <span className={`pill ${pill.tone}`} data-testid="readiness-pill">{pill.text}</span> : null}
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
