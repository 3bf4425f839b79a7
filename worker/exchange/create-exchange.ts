// Builds the worker's ExchangePort from the validated environment: EXCHANGE=sim (default, the
// local simulator with its own key pair), binance (mainnet) or binance-demo (demo trading).
// Keys come only from the environment and are never logged.
import type { Env } from "../../src/env.js";
import { createCcxtClient } from "./ccxt-client";
import { CcxtExchange, type CcxtExchangeOptions } from "./ccxt-exchange";
import type { ExchangePort } from "./exchange-port";

export type ExchangeEnv = Pick<Env, "EXCHANGE" | "BINANCE_API_KEY" | "BINANCE_API_SECRET" | "SIM_URL" | "SIM_PORT" | "SIM_API_KEY" | "SIM_API_SECRET">;

export class ExchangeConfigError extends Error {
  override name = "ExchangeConfigError";
}

export async function createExchange(env: ExchangeEnv, opts: CcxtExchangeOptions & { timeoutMs?: number } = {}): Promise<ExchangePort> {
  const mode = env.EXCHANGE;
  if (mode !== "sim" && mode !== "binance" && mode !== "binance-demo") {
    throw new ExchangeConfigError(`EXCHANGE=${mode}: must be sim, binance or binance-demo`);
  }
  if (mode === "sim") {
    const simUrl = env.SIM_URL ?? `http://127.0.0.1:${env.SIM_PORT}`;
    const client = await createCcxtClient({ mode, apiKey: env.SIM_API_KEY, secret: env.SIM_API_SECRET, simUrl, timeoutMs: opts.timeoutMs });
    return new CcxtExchange(client, mode, opts);
  }
  if (!env.BINANCE_API_KEY || !env.BINANCE_API_SECRET) {
    throw new ExchangeConfigError(
      `EXCHANGE=${mode} needs BINANCE_API_KEY and BINANCE_API_SECRET in the environment` +
        (mode === "binance-demo" ? " (keys from Binance's demo trading, https://demo.binance.com)" : "") +
        "; or use EXCHANGE=sim for the local simulator",
    );
  }
  const client = await createCcxtClient({ mode, apiKey: env.BINANCE_API_KEY, secret: env.BINANCE_API_SECRET, timeoutMs: opts.timeoutMs });
  return new CcxtExchange(client, mode, opts);
}
