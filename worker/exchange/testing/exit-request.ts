// For tests of the exchange port: a core ExitOrderRequest (the one shape every order has, from the
// module to the port) with the usual defaults, sent once under the client order id the gateway
// would derive for it.
import { closingSide, type ExitOrderRequest } from "../../../src/core/gateway/exit-order-request";
import type { OrderKind } from "../../../src/core/gateway/modules";
import { clientOrderIdFor } from "../client-order-id";
import type { ExchangeOrder, ExchangePort } from "../exchange-port";

const KIND: Record<ExitOrderRequest["orderType"], OrderKind> = { MARKET: "close", STOP_MARKET: "sl", TAKE_PROFIT_MARKET: "tp", TRAILING_STOP_MARKET: "trailing" };

type Given = Pick<ExitOrderRequest, "symbol" | "positionSide" | "orderType" | "quantity"> & Partial<ExitOrderRequest>;

export function exitRequest(decisionId: string, r: Given): ExitOrderRequest {
  return { module: "exit_executor", kind: KIND[r.orderType], side: closingSide(r.positionSide), reduceOnly: true, decisionId, ...r };
}

/** Sends the request once through the port, as the gateway does; resolves with the order and its client id. */
export async function sendOnce(port: Pick<ExchangePort, "placeExitOrder">, req: ExitOrderRequest): Promise<{ order: ExchangeOrder; clientOrderId: string }> {
  const clientOrderId = clientOrderIdFor(req.decisionId);
  return { order: await port.placeExitOrder(req, clientOrderId), clientOrderId };
}
