// The venue's streaming endpoints, taken from a ccxt binanceusdm client so the simulator, Binance
// demo trading and mainnet differ only in ccxt's URL table (ccxt-client.ts points it at the
// simulator): the listen-key REST calls (signed with the API key only, counted in ccxt's request
// weight like every other call) and the WebSocket URLs of the user-data and market streams.
import { z } from "zod";
import type { BinanceUsdm } from "./ccxt-client";
import { createCcxtClient, type CcxtClientOptions } from "./ccxt-client";
import type { ExchangeEnv } from "./create-exchange";
import type { ListenKeyApi } from "./user-data-stream";

const listenKeyAnswer = z.object({ listenKey: z.string().min(1) });

/** The parts of ccxt's binance pro class used here (implicit API methods, URL helpers). */
interface StreamingParts {
  fapiPrivatePostListenKey(params?: object): Promise<unknown>;
  fapiPrivatePutListenKey(params?: object): Promise<unknown>;
  fapiPrivateDeleteListenKey(params?: object): Promise<unknown>;
  getPrivateWsUrl(type: "future", listenKey: string): string;
  getWsUrl(type: "future", category: "market" | "public" | "private"): string;
}

function parts(ex: BinanceUsdm): StreamingParts {
  return ex as unknown as StreamingParts;
}

export function ccxtListenKeyApi(ex: BinanceUsdm): ListenKeyApi {
  const p = parts(ex);
  return {
    async create() {
      const answer = listenKeyAnswer.safeParse(await p.fapiPrivatePostListenKey());
      if (!answer.success) throw new Error("POST /fapi/v1/listenKey answered without a listenKey; is the API key allowed to read the account?");
      return answer.data.listenKey;
    },
    async keepAlive(listenKey) {
      await p.fapiPrivatePutListenKey({ listenKey });
    },
    async close(listenKey) {
      await p.fapiPrivateDeleteListenKey({ listenKey });
    },
    url: (listenKey) => p.getPrivateWsUrl("future", listenKey),
  };
}

/** Where the kline (and other market) streams are served: Binance's /market/ws route. */
export function marketStreamUrl(ex: BinanceUsdm): string {
  return parts(ex).getWsUrl("future", "market");
}

export interface StreamClient {
  listenKeys: ListenKeyApi;
  marketUrl: string;
  close(): Promise<void>;
}

/**
 * A ccxt client of its own for the streams' REST calls (listen keys): they never queue behind the
 * account refresh in the read client's throttle, and the order client stays for orders.
 */
export async function createStreamClient(opts: CcxtClientOptions): Promise<StreamClient> {
  const ex = await createCcxtClient(opts);
  return { listenKeys: ccxtListenKeyApi(ex), marketUrl: marketStreamUrl(ex), close: () => ex.close() };
}

/** The stream client's options from the environment (the same venue and keys as createExchange). */
export function streamClientOptions(env: ExchangeEnv): CcxtClientOptions {
  if (env.EXCHANGE === "sim") {
    return { mode: "sim", apiKey: env.SIM_API_KEY, secret: env.SIM_API_SECRET, simUrl: env.SIM_URL ?? `http://127.0.0.1:${env.SIM_PORT}` };
  }
  if (env.EXCHANGE !== "binance" && env.EXCHANGE !== "binance-demo") throw new Error(`EXCHANGE=${env.EXCHANGE}: must be sim, binance or binance-demo`);
  if (!env.BINANCE_API_KEY || !env.BINANCE_API_SECRET) throw new Error(`EXCHANGE=${env.EXCHANGE} needs BINANCE_API_KEY and BINANCE_API_SECRET for the user-data stream`);
  return { mode: env.EXCHANGE, apiKey: env.BINANCE_API_KEY, secret: env.BINANCE_API_SECRET };
}
