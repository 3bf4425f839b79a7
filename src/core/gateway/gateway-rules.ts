// The single gate between exit decisions and the exchange, as a pure function of the request
// and the operational state (NautilusTrader's risk engine in front of execution).
//   LEGACY:  legacy modules allowed; exit_executor denied.
//   SHADOW:  legacy allowed, each an ownership conflict (soft warning); exit_executor denied.
//   LIVE:    exit_executor allowed; legacy modules denied (blocked).
//   Always:  not reduce-only, wrong side, bad quantity, unknown module, stale leader -> denied.
//   Operator actions (issue 16): a reduce-only MARKET close an operator asked for is allowed in
//     every state, unconfirmed included: it can only reduce risk, and a kill switch must never
//     stop a human from flattening a position (docs/safety-invariants.md, "Operator actions").
//   A legacy order for a position handed back to legacy is allowed in LIVE too.
//   Unconfirmed toggle state counts as SHADOW.
import type { OperationalState } from "../toggles";
import { closingSide, type ExitOrderRequest, type PositionMode } from "./exit-order-request";
import { EXIT_BRAIN_MODULES, LEGACY_MODULES, OPERATOR_MODULE } from "./modules";

export type Verdict = "allow" | "allow_conflict" | "deny";

export interface GatewayDecision {
  verdict: Verdict;
  /** the state the decision was made on (SHADOW when the stored one was unconfirmed) */
  state: OperationalState;
  /** a legacy module refused because Exit Brain owns exits (counted as blocked) */
  blockedLegacy: boolean;
  /** a legacy module acting while EXIT_MODE=EXIT_BRAIN_V3 (counted as a conflict) */
  ownershipConflict: boolean;
  reason: string;
}

export interface GatewayContext {
  state: OperationalState;
  confirmed: boolean;
  exitBrainModules?: readonly string[];
  legacyModules?: readonly string[];
  /** fencing: the epoch the order was decided under, and the current leader epoch */
  orderEpoch?: number | null;
  currentEpoch?: number | null;
  /** the account's position mode (default one-way) */
  positionMode?: PositionMode;
}

export function decideExitOrder(req: ExitOrderRequest, ctx: GatewayContext): GatewayDecision {
  const state: OperationalState = ctx.confirmed ? ctx.state : "EXIT_BRAIN_V3_SHADOW";
  const brain = ctx.exitBrainModules ?? EXIT_BRAIN_MODULES;
  const legacy = ctx.legacyModules ?? LEGACY_MODULES;
  const isBrain = brain.includes(req.module);
  const isLegacy = legacy.includes(req.module);
  const deny = (reason: string, blockedLegacy = false): GatewayDecision => ({
    verdict: "deny",
    state,
    blockedLegacy,
    ownershipConflict: blockedLegacy,
    reason,
  });

  const isOperator = req.module === OPERATOR_MODULE;
  if (!isBrain && !isLegacy && !isOperator) return deny(`module '${req.module}' is not in the configured exit modules (${[...brain, ...legacy].join(", ")})`);
  if (!req.reduceOnly) return deny(`order is not reduce-only: an exit order may never open or increase a position`);
  if (req.side !== closingSide(req.positionSide)) return deny(`a ${req.side} order cannot reduce a ${req.positionSide} position`);
  if (!Number.isFinite(req.quantity) || req.quantity <= 0) return deny(`quantity must be a positive number, got ${req.quantity}`);
  const size = req.positionSize;
  if (ctx.positionMode === "hedge" && size == null) {
    return deny(`hedge mode: the ${req.positionSide} position's size is required, the venue has no reduce-only flag to cap the order`);
  }
  if (size != null && !(Number.isFinite(size) && size > 0)) return deny(`the ${req.positionSide} position's size must be a positive number, got ${size}`);
  if (size != null && req.quantity > size) {
    return deny(`quantity ${req.quantity} is larger than the ${req.positionSide} position (${size}): an exit order may never open or increase a position`);
  }
  if (req.orderType !== "MARKET" && req.orderType !== "TRAILING_STOP_MARKET" && !(Number(req.stopPrice) > 0)) {
    return deny(`${req.orderType} needs a positive stop price`);
  }
  if (ctx.orderEpoch != null && ctx.currentEpoch != null && ctx.orderEpoch !== ctx.currentEpoch) {
    return deny(`stale leader epoch ${ctx.orderEpoch} (current ${ctx.currentEpoch}): a former leader may not send orders`);
  }

  if (isOperator) {
    if (req.orderType !== "MARKET" || req.kind !== "close") return deny(`${OPERATOR_MODULE} may only send a reduce-only MARKET close, not ${req.orderType} ${req.kind}`);
    return { verdict: "allow", state, blockedLegacy: false, ownershipConflict: false, reason: "an operator's reduce-only close (allowed in every state)" };
  }
  if (isBrain) {
    if (state === "EXIT_BRAIN_V3_LIVE") return { verdict: "allow", state, blockedLegacy: false, ownershipConflict: false, reason: "Exit Brain owns exits (LIVE)" };
    const why = !ctx.confirmed ? "toggle state unconfirmed (treated as SHADOW)" : state === "LEGACY" ? "EXIT_MODE=LEGACY: the executor is off" : "SHADOW mode never trades";
    return deny(`exit_executor may not place orders: ${why}`);
  }
  // legacy module
  if (state === "EXIT_BRAIN_V3_LIVE" && req.handedBack === true) {
    return { verdict: "allow", state, blockedLegacy: false, ownershipConflict: false, reason: "position handed back to legacy by an operator" };
  }
  if (state === "EXIT_BRAIN_V3_LIVE") return deny("Executor is the single MUSCLE in EXIT_BRAIN_V3 LIVE mode", true);
  if (state === "EXIT_BRAIN_V3_SHADOW") {
    return { verdict: "allow_conflict", state, blockedLegacy: false, ownershipConflict: true, reason: "legacy module acting while Exit Brain shadows" };
  }
  return { verdict: "allow", state, blockedLegacy: false, ownershipConflict: false, reason: "legacy modules own exits (LEGACY)" };
}
