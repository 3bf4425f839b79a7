// For integration tests: the worker's own exchange clients (ccxt order port, stream client)
// pointed at a test simulator with its test credentials, as worker/main.ts connects them for
// EXCHANGE=sim. One place for the environment a test fills in, so every test talks to the
// simulator the way the worker does.
import type { RunningSimulator } from "../../../sim/server/start-simulator";
import { TEST_CREDENTIALS } from "../../../sim/testing/test-simulator";
import { createExchange, type CreateExchangeOptions } from "../create-exchange";
import type { ExchangePort } from "../exchange-port";
import { createStreamClient, type StreamClient } from "../stream-endpoints";

/** The exchange part of the worker's environment for `sim` (no Binance keys). */
export function simExchangeEnv(sim: Pick<RunningSimulator, "url">) {
  return {
    EXCHANGE: "sim", SIM_URL: sim.url, SIM_PORT: 0, SIM_API_KEY: TEST_CREDENTIALS.apiKey, SIM_API_SECRET: TEST_CREDENTIALS.apiSecret,
    BINANCE_API_KEY: undefined, BINANCE_API_SECRET: undefined,
  } as const;
}

/** The worker's ccxt exchange port on `sim` (createExchange, as for EXCHANGE=sim). */
export function connectSimExchange(sim: Pick<RunningSimulator, "url">, opts: CreateExchangeOptions = {}): Promise<ExchangePort> {
  return createExchange(simExchangeEnv(sim), opts);
}

/** The worker's stream client (listen keys, sockets) on `sim`. */
export function connectSimStreamClient(sim: Pick<RunningSimulator, "url">): Promise<StreamClient> {
  return createStreamClient({ mode: "sim", apiKey: TEST_CREDENTIALS.apiKey, secret: TEST_CREDENTIALS.apiSecret, simUrl: sim.url });
}
