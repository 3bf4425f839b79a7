// Pure evaluation of the runbook's success criteria (Step 1 before LIVE, Step 3 while LIVE,
// and the rollback validation checklist). No I/O, no clock: `now` comes in with the inputs.
import type { OpenPositionFacts, Readiness, ReadinessInputs, ReadinessItem } from "./readiness-types";
import { shadowComparisonStats } from "./shadow-comparison-test";

/** The runbook's rollback validation: the state must hold this long after leaving LIVE. */
export const ROLLBACK_STABLE_MIN = 30;
/** After this long out of LIVE, the rollback checklist is history and no longer shown. */
export const AFTER_ROLLBACK_SHOWN_H = 24;

const H = 3_600_000;
const MIN = 60_000;

export function hours(ms: number): string {
  return `${(ms / H).toFixed(1)} h`;
}

export function minutes(ms: number): string {
  return `${Math.max(0, Math.floor(ms / MIN))} min`;
}

const pct = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(2)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** "position(s)": the public health JSON must not contain the word "positions" (its leak test looks for it). */
const positionCount = (n: number, adjective: string) => `${n} ${adjective} position${n === 1 ? "" : "(s)"}`;

/** A decision older than this counts as missing (a few intervals of slack for a busy loop). */
export function decisionStaleAfterS(intervalS: number): number {
  return Math.max(3 * intervalS, intervalS + 5);
}

export function evaluateReadiness(i: ReadinessInputs): Readiness {
  const items: ReadinessItem[] = [
    executorUptime(i),
    decisionsFlowing(i),
    shadowLogPopulated(i),
    noDualPositions(i.openPositions, "before_live"),
    allProtected(i.openPositions, "before_live"),
    comparisonNotWorse(i),
  ];
  const live = i.state === "EXIT_BRAIN_V3_LIVE";
  const escalatedSince = i.lastEscalationAt != null && i.lastLeftLiveAt !== null && i.lastEscalationAt.getTime() > i.lastLeftLiveAt.getTime();
  const afterRollback = !live && !escalatedSince && i.lastLeftLiveAt !== null && i.now.getTime() - i.lastLeftLiveAt.getTime() < AFTER_ROLLBACK_SHOWN_H * H;
  if (live) items.push(executorOrders(i), legacyBlocked(i), noDualPositions(i.openPositions, "while_live"), allProtected(i.openPositions, "while_live"));
  if (afterRollback) items.push(stateNotLive(i), allProtected(i.openPositions, "after_rollback"), stableAfterRollback(i));
  return {
    phase: live ? "live" : afterRollback ? "after_rollback" : "before_live",
    ready_for_live: items.filter((x) => x.group === "before_live").every((x) => x.ok),
    items,
  };
}

function executorUptime(i: ReadinessInputs): ReadinessItem {
  const base = { id: "executor_uptime", group: "before_live" as const, label: `Executor up without a crash for ${i.observationHours} h` };
  if (!i.workerUpSince) return { ...base, ok: false, why: "No worker is running: start it (npm start) and let it observe." };
  if (!i.executorOnSince) return { ...base, ok: false, why: "The state is LEGACY, so the executor is not running: switch to SHADOW and observe first." };
  if (i.executorRunning === false) return { ...base, ok: false, why: "The worker reports the executor as not running: check the log for [EXIT_BRAIN_EXECUTOR]." };
  const since = Math.max(i.workerUpSince.getTime(), i.executorOnSince.getTime());
  const up = i.now.getTime() - since;
  const need = i.observationHours * H;
  return up >= need
    ? { ...base, ok: true, why: `Up ${hours(up)} without a restart (needs ${i.observationHours} h).` }
    : { ...base, ok: false, why: `Up ${hours(up)} of the ${i.observationHours} h observation period (a restart starts it again): ${hours(need - up)} to go.` };
}

function decisionsFlowing(i: ReadinessInputs): ReadinessItem {
  const base = { id: "decisions_flowing", group: "before_live" as const, label: "Shadow decisions arrive every interval while a position is open" };
  const open = i.openPositions.length;
  if (open === 0) return { ...base, ok: true, why: "No position is open right now, so no decision is due." };
  const staleS = decisionStaleAfterS(i.decisionIntervalS);
  const late = i.openPositions.filter((p) => !p.lastDecisionAt || i.now.getTime() - p.lastDecisionAt.getTime() > staleS * 1000).length;
  return late === 0
    ? { ...base, ok: true, why: `Every open position (${open}) had a decision within ${staleS} s (interval ${i.decisionIntervalS} s).` }
    : { ...base, ok: false, why: `${late} of ${positionCount(open, "open")} had no decision in the last ${staleS} s (interval ${i.decisionIntervalS} s): check the executor log for [EXIT_BRAIN_SHADOW].` };
}

function shadowLogPopulated(i: ReadinessInputs): ReadinessItem {
  const base = { id: "shadow_log_populated", group: "before_live" as const, label: "Shadow log populated" };
  return i.shadowDecisionCount > 0
    ? { ...base, ok: true, why: `${plural(i.shadowDecisionCount, "decision")} recorded.` }
    : { ...base, ok: false, why: "No Exit Brain decision recorded yet: run in SHADOW while a position is open." };
}

function noDualPositions(open: OpenPositionFacts[], group: ReadinessItem["group"]): ReadinessItem {
  const dual = new Set(open.filter((p) => p.dualPosition).map((p) => p.symbol)).size;
  const base = { id: `${group}_no_dual_position`, group, label: "No dual position (LONG and SHORT on one symbol)" };
  return dual === 0
    ? { ...base, ok: true, why: `None among ${positionCount(open.length, "open")}.` }
    : { ...base, ok: false, why: `${plural(dual, "symbol")} holds both a LONG and a SHORT: close one side (see the position table on the status page).` };
}

function allProtected(open: OpenPositionFacts[], group: ReadinessItem["group"]): ReadinessItem {
  const bare = open.filter((p) => !p.protected).length;
  const base = { id: `${group}_all_protected`, group, label: "Every position protected by an exchange-side stop" };
  return bare === 0
    ? { ...base, ok: true, why: open.length === 0 ? "No position is open." : `All ${positionCount(open.length, "open")} have a stop.` }
    : { ...base, ok: false, why: `${bare} of ${positionCount(open.length, "open")} have no stop on the exchange: place one now.` };
}

function comparisonNotWorse(i: ReadinessInputs): ReadinessItem {
  const c = i.comparison;
  const base = { id: "comparison_not_worse", group: "before_live" as const, label: "Shadow vs legacy: Exit Brain not worse" };
  if (c.pairs.length === 0) {
    return { ...base, ok: false, why: "No position has closed while Exit Brain shadowed it yet: nothing to compare." };
  }
  const s = shadowComparisonStats(c.pairs, c.minPositions);
  const diff = s.meanDiffPct ?? 0;
  const ci = s.ci95 ? `, 95% CI [${pct(s.ci95[0])}, ${pct(s.ci95[1])}], p=${(s.p ?? 1).toFixed(3)}` : "";
  const left = s.heldToClose > 0 ? `; ${s.heldToClose} left out: Exit Brain still held them at legacy's close, so they show nothing of its exits` : "";
  const summary = `Exit Brain minus legacy ${pct(diff)} per position over ${positionCount(s.positions, "closed")} where Exit Brain exited, on ${plural(s.days, "day")}${ci} (paired t-test, days as units${left})`;
  if (s.verdict === "insufficient") {
    const need = s.positions < s.minPositions ? `${s.minPositions} are needed` : "positions closing on at least 2 days are needed";
    return { ...base, ok: false, why: `${summary}: too few to judge, ${need}; stay in SHADOW.` };
  }
  return s.verdict === "not_worse"
    ? { ...base, ok: true, why: `${summary}: not significantly worse.` }
    : { ...base, ok: false, why: `${summary}: significantly worse; stay in SHADOW and review the shadow analysis.` };
}

function executorOrders(i: ReadinessInputs): ReadinessItem {
  const base = { id: "executor_orders", group: "while_live" as const, label: "Executor orders > 0" };
  const n = i.sinceLive?.executorPlaced ?? 0;
  return n > 0
    ? { ...base, ok: true, why: `${plural(n, "executor order")} placed since LIVE.` }
    : { ...base, ok: false, why: "No executor order placed since LIVE yet: expected once a position needs a stop; check [EXIT_BRAIN_LIVE] lines." };
}

function legacyBlocked(i: ReadinessInputs): ReadinessItem {
  const base = { id: "legacy_blocked", group: "while_live" as const, label: "Legacy orders blocked (once legacy modules tried)" };
  const s = i.sinceLive;
  if (!s || s.legacyAttempts === 0) return { ...base, ok: true, why: "No legacy module has tried to place an order since LIVE." };
  if (s.legacyPlaced > 0) return { ...base, ok: false, why: `${plural(s.legacyPlaced, "legacy order")} reached the exchange while LIVE: use the kill switch and check [EXIT_GUARD] lines.` };
  return s.legacyBlocked > 0
    ? { ...base, ok: true, why: `${plural(s.legacyBlocked, "legacy order")} blocked since LIVE, none placed.` }
    : { ...base, ok: false, why: `${plural(s.legacyAttempts, "legacy attempt")} since LIVE and none counted as blocked: check the gateway.` };
}

function stateNotLive(i: ReadinessInputs): ReadinessItem {
  const ok = i.state !== "EXIT_BRAIN_V3_LIVE";
  return { id: "rollback_state_not_live", group: "after_rollback", label: "State is not LIVE", ok, why: `The state is ${i.state}.` };
}

function stableAfterRollback(i: ReadinessInputs): ReadinessItem {
  const base = { id: "rollback_stable", group: "after_rollback" as const, label: `Stable for ${ROLLBACK_STABLE_MIN} min` };
  const last = i.lastStateChangeAt ?? i.lastLeftLiveAt;
  if (!last) return { ...base, ok: true, why: "No state change recorded." };
  const since = i.now.getTime() - last.getTime();
  const need = ROLLBACK_STABLE_MIN * MIN;
  if (!i.workerUpSince) return { ...base, ok: false, why: "No worker is running: nothing is watching the open position(s)." };
  return since >= need
    ? { ...base, ok: true, why: `No state change for ${minutes(since)}.` }
    : { ...base, ok: false, why: `Last state change ${minutes(since)} ago: ${minutes(need - since)} to go.` };
}
