"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { ReadinessList } from "../../_components/readiness-list";
import { StateBanner } from "../../_components/status/state-banner";
import { GoLivePanel } from "./go-live-panel";
import { LiveRequestsPanel } from "./live-requests-panel";
import { RollbackPanel } from "./rollback-panel";

export function ControlsView({ canOperate, email }: { canOperate: boolean; email: string }) {
  const trpc = useTRPC();
  const toggles = useQuery(trpc.toggles.get.queryOptions(undefined, { refetchInterval: 1000 }));
  const readiness = useQuery(trpc.readiness.get.queryOptions(undefined, { refetchInterval: 2000 }));
  const t = toggles.data;
  return (
    <div className="stack">
      <ErrorBox error={toggles.error ?? readiness.error} />
      {t ? <StateBanner state={t.operationalState} /> : null}
      {!canOperate ? <p className="notice">You are signed in as a viewer: you can see the controls&apos; state but not change it. Ask an admin for the operator role.</p> : null}
      {canOperate ? <RollbackPanel /> : null}
      <div className="grid">
        {t ? <GoLivePanel toggles={t} readiness={readiness.data ?? null} canOperate={canOperate} /> : null}
        <section className="card" aria-label="Readiness checklist">
          <h2>
            Readiness checklist{" "}
            {readiness.data ? (
              <span className={`pill ${readiness.data.ready_for_live ? "tone-ok" : "tone-warn"}`}>{readiness.data.ready_for_live ? "ready for LIVE" : "not ready"}</span>
            ) : null}
          </h2>
          {readiness.data ? <ReadinessList readiness={readiness.data} /> : <p className="muted">Evaluating…</p>}
        </section>
      </div>
      {t ? <LiveRequestsPanel canOperate={canOperate} email={email} requireApproval={t.requireLiveApproval} /> : null}
    </div>
  );
}
