// Who may place exit orders. Module names are the runbook's.
/** The Exit Brain executor's module name on every order it sends. */
export const EXECUTOR_MODULE = "exit_executor";
export const EXIT_BRAIN_MODULES = [EXECUTOR_MODULE] as const;
export const LEGACY_MODULES = ["position_monitor", "hybrid_tpsl"] as const;
/**
 * An operator's per-position action carried out by the worker's leader (issue 16): "close now"
 * (a reduce-only market close) and, during a hand-back, cancelling Exit Brain's orders.
 */
export const OPERATOR_MODULE = "operator_action";

export type ExitBrainModule = (typeof EXIT_BRAIN_MODULES)[number];
export type LegacyModule = (typeof LEGACY_MODULES)[number];

export const ORDER_KINDS = ["sl", "tp", "partial_tp", "close", "trailing"] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export function isLegacyModule(m: string): m is LegacyModule {
  return (LEGACY_MODULES as readonly string[]).includes(m);
}

export function isExitBrainModule(m: string): m is ExitBrainModule {
  return (EXIT_BRAIN_MODULES as readonly string[]).includes(m);
}
