// A rejection the simulator answers the way Binance does: an HTTP status plus
// {"code": -NNNN, "msg": "..."} so ccxt maps it to the same error class as on the real venue.
export class SimApiError extends Error {
  override name = "SimApiError";
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }
}

/** Binance's futures error codes used by the simulator, with Binance's own messages. */
export const errors = {
  unknownOrder: () => new SimApiError(-2011, "Unknown order sent."),
  orderNotFound: () => new SimApiError(-2013, "Order does not exist."),
  reduceOnlyRejected: () => new SimApiError(-2022, "ReduceOnly Order is rejected."),
  marginInsufficient: () => new SimApiError(-2019, "Margin is insufficient."),
  duplicateClientId: () => new SimApiError(-4116, "ClientOrderId is duplicated."),
  badSymbol: () => new SimApiError(-1121, "Invalid symbol."),
  badOrderType: () => new SimApiError(-1116, "Invalid orderType."),
  lotSize: () => new SimApiError(-1013, "Filter failure: LOT_SIZE"),
  priceFilter: () => new SimApiError(-1013, "Filter failure: PRICE_FILTER"),
  precision: () => new SimApiError(-1111, "Precision is over the maximum defined for this asset."),
  minNotional: (min: number) =>
    new SimApiError(-4164, `Order's notional must be no smaller than ${min} (unless you choose reduce only).`),
  notRequired: (param: string) => new SimApiError(-1106, `Parameter '${param}' sent when not required.`),
  mandatory: (param: string) => new SimApiError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  immediateTrigger: () => new SimApiError(-2021, "Order would immediately trigger."),
  noPosition: () => new SimApiError(-2022, "ReduceOnly Order is rejected."),
  badCallbackRate: () => new SimApiError(-2007, "Invalid callBackRate."),
  badLeverage: () => new SimApiError(-4028, "Leverage 0 is not valid"),
} as const;
