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
  // Binance's futures filter codes (not the spot API's generic -1013 "Filter failure").
  quantityNotPositive: () => new SimApiError(-4003, "Quantity less than or equal to zero."),
  quantityBelowMin: () => new SimApiError(-4004, "Quantity less than min quantity."),
  quantityAboveMax: () => new SimApiError(-4005, "Quantity greater than max quantity."),
  priceBelowMin: () => new SimApiError(-4013, "Price less than min price."),
  priceAboveMax: () => new SimApiError(-4016, "Limit price can't be higher than max price."),
  tickSize: () => new SimApiError(-4014, "Price not increased by tick size."),
  stepSize: () => new SimApiError(-4023, "Quantity not increased by step size."),
  precision: () => new SimApiError(-1111, "Precision is over the maximum defined for this asset."),
  conditionalOnOrderEndpoint: () =>
    new SimApiError(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead."),
  tooManyAlgoOrders: () => new SimApiError(-4045, "Reach max stop order limit."),
  positionSideMismatch: () => new SimApiError(-4061, "Order's position side does not match user's setting."),
  reduceOnlyInHedgeMode: () => new SimApiError(-1106, "Parameter 'reduceonly' sent when not required."),
  noNeedToChangePositionSide: () => new SimApiError(-4059, "No need to change position side."),
  positionSideChangeWithOrders: () => new SimApiError(-4067, "Position side cannot be changed if there exists open orders."),
  positionSideChangeWithPosition: () => new SimApiError(-4068, "Position side cannot be changed if there exists position."),
  minNotional: (min: number) =>
    new SimApiError(-4164, `Order's notional must be no smaller than ${min} (unless you choose reduce only).`),
  notRequired: (param: string) => new SimApiError(-1106, `Parameter '${param}' sent when not required.`),
  mandatory: (param: string) => new SimApiError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  immediateTrigger: () => new SimApiError(-2021, "Order would immediately trigger."),
  noPosition: () => new SimApiError(-2022, "ReduceOnly Order is rejected."),
  badCallbackRate: () => new SimApiError(-2007, "Invalid callBackRate."),
  badLeverage: () => new SimApiError(-4028, "Leverage 0 is not valid"),
} as const;
