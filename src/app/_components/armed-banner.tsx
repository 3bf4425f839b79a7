import type { ToggleKey } from "../../core/toggles";

const LIVE_VALUE: Record<ToggleKey, string> = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };

/**
 * Shown whenever one toggle change would make the state LIVE (runbookView().armedBy), e.g. after
 * Rollback C, which leaves EXIT_EXECUTOR_MODE=LIVE and the rollout ENABLED stored.
 */
export function ArmedBanner({ armedBy, dryRun }: { armedBy: ToggleKey | null; dryRun: boolean }) {
  if (!armedBy) return null;
  return (
    <div className="banner banner-armed" role="status" data-testid="armed-banner" data-armed-by={armedBy}>
      <span>ARMED: one toggle change goes LIVE</span>
      <small>
        Setting <span className="mono">{armedBy}={LIVE_VALUE[armedBy]}</span> alone would make Exit Brain place real orders.
        {dryRun
          ? " This is the runbook's dry run (Step 2): the rollout flag alone keeps it in SHADOW."
          : " The stored toggles still hold LIVE values from before the rollback; Step 1 or Step 2 below writes them back to safe values."}
      </small>
    </div>
  );
}
