const GROUP_TITLE: Record<string, string> = {
  before_live: "Before LIVE (runbook Step 1)",
  while_live: "While LIVE (runbook Step 2)",
  after_rollback: "After the rollback (validation checklist)",
};

interface Item {
  id: string;
  group: string;
  label: string;
  ok: boolean;
  why: string;
}

/** The runbook's success criteria, grouped, each with ✅/❌ and the measured reason. */
export function ReadinessList({ readiness }: { readiness: { phase: string; items: Item[] } }) {
  // The checklist of the current phase first: that is what the operator acts on now.
  const order = readiness.phase === "live" ? ["while_live", "before_live"] : readiness.phase === "after_rollback" ? ["after_rollback", "before_live"] : ["before_live"];
  return (
    <div className="stack" data-testid="readiness">
      {order.map((g) => {
        const items = readiness.items.filter((i) => i.group === g);
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
