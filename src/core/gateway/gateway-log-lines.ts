// The runbook's gateway log lines, verbatim, so `grep EXIT_GUARD` finds what operators expect.
import type { OperationalState } from "../toggles";
import type { ExitOrderRequest } from "./exit-order-request";
import { OPERATOR_MODULE } from "./modules";

const modeWord = (s: OperationalState) => (s === "EXIT_BRAIN_V3_LIVE" ? "LIVE" : s === "EXIT_BRAIN_V3_SHADOW" ? "SHADOW" : "LEGACY");

export const guardAllowedLine = (r: ExitOrderRequest, s: OperationalState) =>
  r.module === OPERATOR_MODULE
    ? `[EXIT_GUARD] ✅ Operator action: reduce-only ${r.orderType} ${r.kind} for ${r.symbol} ${r.positionSide} (mode=${modeWord(s)}).`
    : `[EXIT_GUARD] ✅ Exit Brain module '${r.module}' placing ${r.kind} for ${r.symbol} (mode=${modeWord(s)}).`;

export const guardLegacyAllowedLine = (r: ExitOrderRequest) =>
  r.handedBack === true
    ? `[EXIT_GUARD] ✅ Legacy module '${r.module}' placing ${r.kind} for ${r.symbol}: position handed back to legacy by an operator.`
    : `[EXIT_GUARD] ✅ Legacy module '${r.module}' placing ${r.kind} for ${r.symbol} (mode=LEGACY).`;

export const guardConflictLine = (r: ExitOrderRequest) =>
  `[EXIT_GUARD] 🚨 OWNERSHIP CONFLICT: Legacy module '${r.module}' placing ${r.kind} (${r.orderType}) for ${r.symbol} in EXIT_BRAIN_V3 mode.`;

export const guardBlockedLine = (r: ExitOrderRequest) =>
  `[EXIT_GUARD] 🛑 BLOCKED: Legacy module '${r.module}' attempted to place ${r.kind} for ${r.symbol} in EXIT_BRAIN_V3 LIVE mode. Executor is the single MUSCLE. Order NOT sent to exchange.`;

export const guardDeniedLine = (r: ExitOrderRequest, reason: string) =>
  `[EXIT_GUARD] ⛔ DENIED: module '${r.module}' ${r.kind} for ${r.symbol}: ${reason}. Order NOT sent to exchange.`;

export const gatewaySubmittingLine = (r: ExitOrderRequest) =>
  `[EXIT_GATEWAY] 📤 Submitting ${r.kind} order: module=${r.module}, symbol=${r.symbol}, type=${r.orderType}`;

export const gatewayPlacedLine = (r: ExitOrderRequest, orderId: string) =>
  `[EXIT_GATEWAY] ✅ Order placed successfully: module=${r.module}, symbol=${r.symbol}, order_id=${orderId}, kind=${r.kind}`;

export const gatewayFailedLine = (r: ExitOrderRequest, outcome: string, error: string) =>
  `[EXIT_GATEWAY] ❌ Order ${outcome}: module=${r.module}, symbol=${r.symbol}, kind=${r.kind}: ${error}`;
