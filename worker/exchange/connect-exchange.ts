// Connects the worker's exchange port, waiting for the venue to come up (under `npm start` the
// simulator starts at the same time as the worker), and detecting the account's position mode
// (one-way or hedge), which every order is shaped for. The port never retries submissions itself:
// the gateway does, after re-checking the committed toggle state.
import type { Env } from "../../src/env.js";
import type { Logger } from "../../src/server/logger";
import { ExchangePortError } from "./classify-error";
import { createExchange, ExchangeConfigError } from "./create-exchange";
import type { ExchangePort } from "./exchange-port";
import { describeMode } from "./position-mode";

export async function connectExchange(config: Env, log: Logger, opts: { waitMs?: number } = {}): Promise<ExchangePort> {
  const deadline = Date.now() + (opts.waitMs ?? 120_000);
  let lastError = "";
  for (let attempt = 1; ; attempt++) {
    try {
      const port = await createExchange(config, { onPositionModeChange: (message) => log.error(message) });
      await port.loadMarkets();
      const mode = await port.fetchPositionMode();
      log.info(`[WORKER] exchange ready (${port.mode}, ${describeMode(mode)})`);
      return port;
    } catch (err) {
      if (err instanceof ExchangeConfigError) throw err; // a configuration mistake will not fix itself
      // The venue answered and refused the credentials (bad signature, unknown key, IP not
      // allowed): waiting cannot fix that, and a worker without a usable key protects nothing.
      if (err instanceof ExchangePortError && err.kind === "auth") throw new ExchangeConfigError(authRefusal(config, err.message));
      lastError = err instanceof Error ? err.message : String(err);
      if (Date.now() > deadline) {
        throw new Error(`The exchange (${config.EXCHANGE}) did not answer within ${(opts.waitMs ?? 120_000) / 1000} s: ${lastError}. For EXCHANGE=sim, is the simulator running on SIM_PORT=${config.SIM_PORT}?`);
      }
      if (attempt === 1 || attempt % 10 === 0) log.info(`[WORKER] waiting for the exchange (${config.EXCHANGE}): ${lastError}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function authRefusal(config: Env, detail: string): string {
  const vars = config.EXCHANGE === "sim" ? "SIM_API_KEY and SIM_API_SECRET" : "BINANCE_API_KEY and BINANCE_API_SECRET";
  const extra = config.EXCHANGE === "sim" ? "" : " (the key needs USDⓈ-M futures permission, and this machine's IP must be on the key's allow-list if it has one)";
  return `The exchange (${config.EXCHANGE}) refused the API credentials: ${detail}. Check ${vars}${extra}, then start the worker again.`;
}
