// The runbook's Steps: 1 SHADOW (the before_live criteria), 2 the dry run (no checklist item of
// its own), 3 LIVE (the while_live criteria); then the rollback validation.
const GROUP_TITLE: Record<string, string> = {
  before_live: "Before LIVE (runbook Step 1 criteria)",
  while_live: "While LIVE (runbook Step 3)",
  after_rollback: "After the rollback (validation checklist)",
};

interface Item {
  id: string;
  group: string;
  label: string;
  ok: boolean;
  why: string;
}

interface ReadinessLike {
  phase: string;
  ready_for_live: boolean;
  items: Item[];
}

/** The pill next to the checklist's title: what the current phase's items say, never "not ready for LIVE" while LIVE. */
export function readinessPill(r: ReadinessLike): { text: string; tone: string } {
  if (r.phase === "live") {
    const ok = r.items.filter((i) => i.group === "while_live").every((i) => i.ok);
    return ok ? { text: "LIVE checks ok", tone: "tone-ok" } : { text: "LIVE check failing", tone: "tone-bad" };
  }
  if (r.phase === "after_rollback") {
    const ok = r.items.filter((i) => i.group === "after_rollback").every((i) => i.ok);
    return ok ? { text: "rollback validated", tone: "tone-ok" } : { text: "rollback not validated yet", tone: "tone-warn" };
  }
  return r.ready_for_live ? { text: "ready for LIVE", tone: "tone-ok" } : { text: "not ready for LIVE", tone: "tone-warn" };
}

/** The runbook's success criteria, grouped, each with ✓/✗ and the measured reason. */
export function ReadinessList({ readiness }: { readiness: ReadinessLike }) {
  // The checklist of the current phase first: that is what the operator acts on now.
  const order = readiness.phase === "live" ? ["while_live", "before_live"] : readiness.phase === "after_rollback" ? ["after_rollback", "before_live"] : ["before_live"];
  // A criterion checked in the current phase (e.g. "Every position protected…") is listed once,
  // under the current phase, not again under the Step 1 criteria.
  const shown = new Set<string>();
  return (
    <div className="stack" data-testid="readiness">
      {order.map((g) => {
        const items = readiness.items.filter((i) => i.group === g && !shown.has(i.label));
        for (const i of items) shown.add(i.label);
        if (items.length === 0) return null;
        return (
          <div key={g}>
            <h3 className="small muted" style={{ margin: "0 0 6px", fontWeight: 500 }}>{GROUP_TITLE[g]}</h3>
            <ul className="plain">
              {items.map((i) => (
                <li key={i.id} className="check" data-testid={`readiness-${i.id}`} data-ok={i.ok}>
                  <span className={`mark ${i.ok ? "mark-ok" : "mark-bad"}`} aria-label={i.ok ? "met" : "not met"}>{i.ok ? "✓" : "✗"}</span>
                  <span>{i.label}</span>
                  <span className="why">{i.why}</span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
