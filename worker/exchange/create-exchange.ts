// Builds the worker's ExchangePort from the validated environment: EXCHANGE=sim (default, the
// local simulator with its own key pair), binance (mainnet) or binance-demo (demo trading).
// Keys come only from the environment and are never logged.
import type { Env } from "../../src/env.js";
import { createCcxtClient, type CcxtClientOptions } from "./ccxt-client";
import { CcxtExchange, type CcxtExchangeOptions } from "./ccxt-exchange";
import type { ExchangePort } from "./exchange-port";

export type ExchangeEnv = Pick<Env, "EXCHANGE" | "BINANCE_API_KEY" | "BINANCE_API_SECRET" | "SIM_URL" | "SIM_PORT" | "SIM_API_KEY" | "SIM_API_SECRET">;

export class ExchangeConfigError extends Error {
  override name = "ExchangeConfigError";
}

export interface CreateExchangeOptions extends CcxtExchangeOptions {
  timeoutMs?: number;
  /** override the read client's throttle (tests); orders never go through a throttle */
  throttleReads?: boolean;
}

export async function createExchange(env: ExchangeEnv, opts: CreateExchangeOptions = {}): Promise<ExchangePort> {
  const mode = env.EXCHANGE;
  if (mode !== "sim" && mode !== "binance" && mode !== "binance-demo") {
    throw new ExchangeConfigError(`EXCHANGE=${mode}: must be sim, binance or binance-demo`);
  }
  if (mode === "sim") {
    const simUrl = env.SIM_URL ?? `http://127.0.0.1:${env.SIM_PORT}`;
    return withOrderClient({ mode, apiKey: env.SIM_API_KEY, secret: env.SIM_API_SECRET, simUrl, timeoutMs: opts.timeoutMs }, opts);
  }
  if (!env.BINANCE_API_KEY || !env.BINANCE_API_SECRET) {
    throw new ExchangeConfigError(
      `EXCHANGE=${mode} needs BINANCE_API_KEY and BINANCE_API_SECRET in the environment` +
        (mode === "binance-demo" ? " (keys from Binance's demo trading, https://demo.binance.com)" : "") +
        "; or use EXCHANGE=sim for the local simulator",
    );
  }
  return withOrderClient({ mode, apiKey: env.BINANCE_API_KEY, secret: env.BINANCE_API_SECRET, timeoutMs: opts.timeoutMs }, opts);
}

/** Reads through the (possibly throttled) client; orders through an unthrottled one when they differ. */
async function withOrderClient(client: CcxtClientOptions, opts: CreateExchangeOptions): Promise<ExchangePort> {
  const reads = await createCcxtClient({ ...client, throttle: opts.throttleReads });
  const orders = reads.enableRateLimit ? await createCcxtClient({ ...client, throttle: false }) : reads;
  return new CcxtExchange(reads, client.mode, opts, orders);
}
