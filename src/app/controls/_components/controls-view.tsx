"use client";
import { useQuery } from "@tanstack/react-query";
import { runbookView } from "../../../core/status/runbook-actions";
import { useTRPC } from "../../../trpc/react";
import { ArmedBanner } from "../../_components/armed-banner";
import { ErrorBox } from "../../_components/error-box";
import { ReadinessList, readinessPill } from "../../_components/readiness-list";
import { StateBanner } from "../../_components/status/state-banner";
import { GoLivePanel } from "./go-live-panel";
import { LiveRequestsPanel } from "./live-requests-panel";
import { RollbackPanel } from "./rollback-panel";
import { RunbookStepPanel } from "./runbook-step-panel";

const STAGE_TEXT = {
  legacy: "You are at the start of the runbook: the legacy modules own exits. Next: Step 1, SHADOW.",
  shadow: "Step 1 (SHADOW): Exit Brain records decisions and places nothing. Next, once the Step 1 criteria hold: Step 2, the dry run.",
  dry_run: "Step 2 (dry run): the executor mode is LIVE but the rollout flag keeps everything in SHADOW. Next, with the checklist green: Step 3, LIVE.",
  live: "Step 3 (LIVE): Exit Brain places real exit orders; the legacy modules are blocked. Watch the first hours; the rollbacks are below.",
} as const;

/** The runbook on one page: where you are, the next step (only that one), and the rollbacks that would change something. */
export function ControlsView({ canOperate, email }: { canOperate: boolean; email: string }) {
  const trpc = useTRPC();
  const toggles = useQuery(trpc.toggles.get.queryOptions(undefined, { refetchInterval: 1000 }));
  const readiness = useQuery(trpc.readiness.get.queryOptions(undefined, { refetchInterval: 2000 }));
  const t = toggles.data;
  const view = t ? runbookView(t.stored, t.ceilings) : null;
  const pill = readiness.data ? readinessPill(readiness.data) : null;
  return (
    <div className="stack">
      <ErrorBox error={toggles.error ?? readiness.error} />
      {t ? <StateBanner state={t.operationalState} /> : null}
      {view ? <ArmedBanner armedBy={view.armedBy} dryRun={view.stage === "dry_run"} /> : null}
      {view ? (
        <p className="muted" style={{ margin: 0 }} data-testid="runbook-stage" data-stage={view.stage}>
          {STAGE_TEXT[view.stage]}
        </p>
      ) : null}
      {!canOperate ? <p className="notice">You are signed in as a viewer: you can see the controls&apos; state but not change it. Ask an admin for the operator role.</p> : null}
      {canOperate && view ? <RollbackPanel rollbacks={view.rollbacks} /> : null}
      <div className="grid">
        {/* Step 3's panel is one element in one place from the dry run into LIVE, so it keeps the
            outcome of going LIVE on screen (in LIVE it says so and offers nothing). */}
        {t && view && (view.stage === "live" || view.steps.some((s) => s.id === "step3_live")) ? (
          <GoLivePanel toggles={t} readiness={readiness.data ?? null} canOperate={canOperate} />
        ) : null}
        {view ? view.steps.filter((s) => s.id !== "step3_live").map((s) => <RunbookStepPanel key={s.id} step={s} canOperate={canOperate} />) : null}
        <section className="card" aria-label="Readiness checklist">
          <h2>
            Readiness checklist{" "}
            {pill ? (
              <span className={`pill ${pill.tone}`} data-testid="readiness-pill">
                {pill.text}
              </span>
            ) : null}
          </h2>
          {readiness.data ? <ReadinessList readiness={readiness.data} /> : <p className="muted">Evaluating…</p>}
        </section>
      </div>
      {t ? <LiveRequestsPanel canOperate={canOperate} email={email} requireApproval={t.requireLiveApproval} /> : null}
    </div>
  );
}
