// Public API of the legacy exit rules (worker legacy modules and the backtester call these).
export { hybridTpslOrders } from "./hybrid-tpsl-rule";
export {
  defaultHybridTpslParams,
  defaultPositionMonitorParams,
  HybridTpslParamsSchema,
  PositionMonitorParamsSchema,
  type HybridTpslParams,
  type PositionMonitorParams,
} from "./legacy-params";
export { positionMonitorOrders } from "./position-monitor-rule";
export { priceAtPct, type ProtectiveOrder, type ProtectiveOrderKind } from "./protective-order";
