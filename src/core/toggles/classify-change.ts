// Classifies a toggle change. Escalation = closer to LIVE (needs an operator, a reason, and
// for LIVE a confirmation); rollback = safer (one click, never needs approval).
import { rankOf, stateRank, TOGGLE_KEYS, type OperationalState, type ToggleKey, type ToggleSet } from "./toggle-definitions";
import { operationalStateOf } from "./resolve-operational-state";

export type ChangeKind = "escalation" | "rollback" | "neutral";

export interface ClassifiedChange {
  kind: ChangeKind;
  changed: ToggleKey[];
  stateBefore: OperationalState;
  stateAfter: OperationalState;
}

export function classifyChange(before: ToggleSet, after: ToggleSet): ClassifiedChange {
  const stateBefore = operationalStateOf(before);
  const stateAfter = operationalStateOf(after);
  const changed = TOGGLE_KEYS.filter((k) => before[k] !== after[k]);
  let up = false;
  let down = false;
  for (const k of changed) {
    if (rankOf(k, after[k]) > rankOf(k, before[k])) up = true;
    else down = true;
  }
  let kind: ChangeKind = "neutral";
  const ds = stateRank(stateAfter) - stateRank(stateBefore);
  if (ds > 0) kind = "escalation";
  else if (ds < 0) kind = "rollback";
  // Same state: arming a toggle (even while another is lowered) is treated as an escalation,
  // the stricter of the two, so it always needs a reason.
  else if (up) kind = "escalation";
  else if (down) kind = "rollback";
  return { kind, changed, stateBefore, stateAfter };
}
