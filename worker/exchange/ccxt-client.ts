// Builds the ccxt pro `binanceusdm` client for a mode: Binance mainnet, Binance demo trading, or
// the local simulator. Against the simulator ccxt needs (each verified by the integration tests):
// every REST api entry pointed at the simulator, the futures WS base at ws://…/ws,
// fetchCurrencies off (it is a spot/sapi call), an http.Agent for plain ws:// (loadHttpProxyAgent),
// and the by-host error table mapped to Binance's futures ("linear") codes.
//
// ccxt's client-side throttle (enableRateLimit) is ON for binance and binance-demo: Binance
// enforces request-weight limits per IP (USDⓈ-M: 2,400 weight/min; an all-symbol open-orders
// query weighs 40) and answers a burst over them with 429, then bans the IP (418) for minutes to
// days; the throttle spaces requests so the worker never gets there. It is OFF for the local
// simulator, which has no limit to respect: there it only queued every request behind the
// previous ones (50 ms per weight unit: an account refresh took ~4 s and a tick waited seconds
// for its order).
//
// Order traffic (place, cancel, look up by client id) goes through a second, unthrottled client
// (create-exchange.ts): a throttle queue between the gateway's committed-state check and the
// send would let an order leave seconds after its check. Orders weigh 0-1 on Binance's IP limit
// and have their own per-account order limits, which the gateway's one-at-a-time sends stay far
// below.
import { performance } from "node:perf_hooks";
import ccxt from "ccxt";
import { requestWeightOf, trackRequestWeight } from "./request-weight";
import { currentSendDeadline, SendDeadlinePassedError } from "./send-deadline";

export type ExchangeMode = "sim" | "binance" | "binance-demo";
export type BinanceUsdm = InstanceType<typeof ccxt.pro.binanceusdm>;

export interface CcxtClientOptions {
  mode: ExchangeMode;
  apiKey: string;
  secret: string;
  /** simulator base URL, e.g. http://127.0.0.1:8790 (mode sim only) */
  simUrl?: string;
  /** per-request timeout, ms */
  timeoutMs?: number;
  /** ccxt's client-side throttle; default on for Binance, off for the simulator (see above) */
  throttle?: boolean;
}

// Every REST api group binance defines; the simulator serves the fapi ones and answers the rest
// with a clear 404 rather than letting a call leak to binance.com.
const API_PATHS: Record<string, string> = {
  fapiPublic: "/fapi/v1", fapiPublicV2: "/fapi/v2", fapiPublicV3: "/fapi/v3",
  fapiPrivate: "/fapi/v1", fapiPrivateV2: "/fapi/v2", fapiPrivateV3: "/fapi/v3", fapiData: "/futures/data",
  public: "/api/v3", private: "/api/v3", v1: "/api/v1",
  sapi: "/sapi/v1", sapiV2: "/sapi/v2", sapiV3: "/sapi/v3", sapiV4: "/sapi/v4",
  dapiPublic: "/dapi/v1", dapiPrivate: "/dapi/v1", dapiPrivateV2: "/dapi/v2", dapiData: "/futures/data",
  eapiPublic: "/eapi/v1", eapiPrivate: "/eapi/v1", papi: "/papi/v1", papiV2: "/papi/v2",
};

export async function createCcxtClient(opts: CcxtClientOptions): Promise<BinanceUsdm> {
  const base = {
    apiKey: opts.apiKey,
    secret: opts.secret,
    enableRateLimit: opts.throttle ?? opts.mode !== "sim",
    timeout: opts.timeoutMs ?? 10_000,
    options: {
      defaultType: "swap",
      fetchCurrencies: false,
      // A stray clock skew must not break signing; ccxt adds the offset to every timestamp.
      adjustForTimeDifference: opts.mode !== "sim",
      recvWindow: 5000,
      // One account-wide call per cycle is cheaper than one per symbol for a handful of positions;
      // acknowledge ccxt's rate-limit note instead of letting it throw.
      fetchOpenOrders: { warnWithoutSymbol: false },
      warnOnFetchOpenOrdersWithoutSymbol: false,
    },
  };
  let ex: BinanceUsdm;
  if (opts.mode === "binance") ex = new ccxt.pro.binanceusdm(base);
  else if (opts.mode === "binance-demo") {
    ex = new ccxt.pro.binanceusdm(base);
    ex.enableDemoTrading(true); // demo-fapi.binance.com; the old futures testnet is not supported for private calls
  } else {
    if (!opts.simUrl) throw new Error("mode sim needs simUrl (SIM_URL or http://127.0.0.1:$SIM_PORT)");
    ex = await createSimClient(base, opts.simUrl);
  }
  markDuplicateOrderId(ex);
  await boundBySendDeadlines(ex);
  trackRequestWeight(ex, requestWeightOf(opts.mode, opts.apiKey)); // X-MBX-USED-WEIGHT-1M per account (request-weight.ts)
  return ex;
}

type RequestParams = Record<string, unknown> & { signal?: AbortSignal };
type Requester = (url: string, params: RequestParams) => Promise<unknown>;
/** The parts of ccxt's HTTP layer the deadline hooks into (not in ccxt's typings). */
interface HttpLayer {
  undiciModule?: unknown;
  undiciRequest?: Requester;
  fetchImplementation?: Requester;
  loadFetchImplementation(): Promise<void>;
  sign(path: string, api?: unknown, method?: string, params?: Record<string, unknown>, headers?: unknown, body?: unknown): unknown;
}

/**
 * Makes every REST request of this client obey the send deadline it runs under (send-deadline.ts):
 * aborted when the deadline passes, not started after it, and signed with recvWindow = the time
 * left so the venue refuses it if it arrives late. Outside a send nothing changes (ccxt's own
 * per-request timeout still applies).
 */
export async function boundBySendDeadlines(ex: BinanceUsdm): Promise<void> {
  const http = ex as unknown as HttpLayer;
  await http.loadFetchImplementation();
  const bound = (request: Requester): Requester => (url, params) => {
    const d = currentSendDeadline();
    if (!d) return request(url, params);
    if (d.signal.aborted) return Promise.reject(new SendDeadlinePassedError(`not sent: the send's deadline passed before this request (${url.split("?")[0]})`));
    return request(url, { ...params, signal: params.signal ? AbortSignal.any([params.signal, d.signal]) : d.signal });
  };
  // ccxt calls undiciRequest when it loaded undici, otherwise fetchImplementation; both take the signal.
  if (http.undiciModule !== undefined && http.undiciRequest) http.undiciRequest = bound(http.undiciRequest.bind(ex));
  else if (http.fetchImplementation) http.fetchImplementation = bound(http.fetchImplementation);
  const sign = http.sign.bind(ex);
  http.sign = (path, api, method, params, headers, body) => {
    const d = currentSendDeadline();
    if (d && typeof api === "string" && api.startsWith("fapiPrivate")) {
      // Binance: the request is executed only if it arrives within recvWindow of its timestamp.
      const left = Math.floor(d.endsAt - performance.now());
      params = { ...params, recvWindow: Math.max(1, Math.min(60_000, left)) };
    }
    return sign(path, api, method, params, headers, body);
  };
}

/**
 * Binance answers a reused client order id with -4116; ccxt maps it to a generic InvalidOrder.
 * DuplicateOrderId lets the port recognise "an earlier attempt already went through".
 */
function markDuplicateOrderId(ex: BinanceUsdm): void {
  const linear = (ex.exceptions as Record<string, Record<string, Record<string, unknown>>>)["linear"];
  if (linear?.["exact"]) linear["exact"]["-4116"] = ccxt.DuplicateOrderId;
}

async function createSimClient(base: ConstructorParameters<typeof ccxt.pro.binanceusdm>[0], simUrl: string): Promise<BinanceUsdm> {
  const http = simUrl.replace(/\/+$/, "");
  const ws = http.replace(/^http/, "ws");
  const ex = new ccxt.pro.binanceusdm(base);
  const api = ex.urls["api"] as Record<string, unknown>;
  for (const [key, path] of Object.entries(API_PATHS)) api[key] = http + path;
  const wsUrls = { ...(api["ws"] as Record<string, unknown>), future: `${ws}/ws` };
  api["ws"] = wsUrls;
  // ccxt picks Binance's error table by URL host (https://fapi.binance.com/...); the simulator's
  // host matches none, so without this -2019/-2022/-4116 would fall back to generic errors.
  const byUrl = ex.getExceptionsByUrl.bind(ex);
  ex.getExceptionsByUrl = (url, exactOrBroad) =>
    byUrl(typeof url === "string" && url.startsWith(http) ? "https://fapi.binance.com/" + url.slice(http.length + 1) : url, exactOrBroad);
  // ccxt's ws client needs an agent for plain ws:// urls.
  await ex.loadHttpProxyAgent();
  return ex;
}

/** Retry-After of the last REST response, in ms (ccxt keeps the headers; names vary in case). */
export function retryAfterMs(ex: BinanceUsdm): number | null {
  const headers = (ex.last_response_headers ?? {}) as Record<string, unknown>;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === "retry-after");
  const seconds = key === undefined ? NaN : Number(headers[key]);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}
