import { STATE_LABEL } from "../format";

const BLURB: Record<string, string> = {
  EXIT_BRAIN_V3_LIVE: "Exit Brain is placing real exit orders. Legacy exit modules are blocked.",
  EXIT_BRAIN_V3_SHADOW: "Exit Brain only logs what it would do. Legacy modules own exits.",
  LEGACY: "Legacy modules own exits. The Exit Brain executor is not running.",
};

/** Red when LIVE, amber in SHADOW, green in LEGACY: readable at a glance from across a room. */
export function StateBanner({ state }: { state: string }) {
  const tone = state === "EXIT_BRAIN_V3_LIVE" ? "live" : state === "EXIT_BRAIN_V3_SHADOW" ? "shadow" : "legacy";
  return (
    <div className={`banner banner-${tone}`} data-testid="state-banner" data-state={state} role="status">
      <span>
        <span className="dot" aria-hidden="true" />
        {STATE_LABEL[state] ?? state}
      </span>
      {/* the state's paint time, for bench/cockpit-pages (Element Timing: see element-timing.d.ts) */}
      <small className="mono" elementtiming="state-banner">{state}</small>
      <small>{BLURB[state]}</small>
    </div>
  );
}
