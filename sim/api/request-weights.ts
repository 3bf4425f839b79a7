// Binance's request weight per USDⓈ-M endpoint (the IP limit reported in X-MBX-USED-WEIGHT-1M),
// from each endpoint's documentation. Order placement weighs 0 on the IP limit (it counts against
// the separate per-account order limits instead); the heavy calls are the all-symbol ones.

/** klines: by the limit asked for (default 500). */
function klinesWeight(params: Record<string, string>): number {
  const limit = Number(params.limit ?? 500);
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

/** one symbol / every symbol */
const bySymbol = (one: number, all: number) => (params: Record<string, string>) => (params.symbol === undefined ? all : one);

const WEIGHTS: Record<string, number | ((params: Record<string, string>) => number)> = {
  "GET /fapi/v1/ping": 1,
  "GET /fapi/v1/time": 1,
  "GET /fapi/v1/exchangeInfo": 1,
  "GET /fapi/v1/ticker/24hr": bySymbol(1, 40),
  "GET /fapi/v1/ticker/price": bySymbol(1, 2),
  "GET /fapi/v1/premiumIndex": bySymbol(1, 10),
  "GET /fapi/v1/klines": klinesWeight,
  "GET /fapi/v1/leverageBracket": 1,
  "POST /fapi/v1/leverage": 1,
  "GET /fapi/v2/positionRisk": 5,
  "GET /fapi/v3/positionRisk": 5,
  "GET /fapi/v2/account": 5,
  "GET /fapi/v3/account": 5,
  "GET /fapi/v2/balance": 5,
  "GET /fapi/v3/balance": 5,
  "GET /fapi/v1/openOrders": bySymbol(1, 40),
  "POST /fapi/v1/order": 0,
  "GET /fapi/v1/order": 1,
  "DELETE /fapi/v1/order": 1,
  "POST /fapi/v1/algoOrder": 0,
  "GET /fapi/v1/algoOrder": 1,
  "DELETE /fapi/v1/algoOrder": 1,
  "GET /fapi/v1/openAlgoOrders": bySymbol(1, 40),
  "GET /fapi/v1/positionSide/dual": 30,
  "POST /fapi/v1/positionSide/dual": 1,
  "POST /fapi/v1/listenKey": 1,
  "PUT /fapi/v1/listenKey": 1,
  "DELETE /fapi/v1/listenKey": 1,
};

/** Weight of one request; 1 for a path the table does not know (an unknown path is answered 404 anyway). */
export function requestWeight(method: string, path: string, params: Record<string, string>): number {
  const w = WEIGHTS[`${method} ${path}`];
  if (w === undefined) return 1;
  return typeof w === "number" ? w : w(params);
}
