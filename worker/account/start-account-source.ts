// Builds the worker's account view and candle source (issue 14). With ACCOUNT_STREAM (default):
// the user-data stream keeps positions and orders (AccountStream), the kline stream the ATR candles,
// REST only backfills and checks once a minute. Without: REST polling as before. Either way the
// account's request weight is read from every answer (request-weight.ts) and logged when the
// worker holds reads back or the venue refuses.
import type { Env } from "../../src/env.js";
import type { Logger } from "../../src/server/logger";
import type { Confirmation } from "../../src/core/account/stream-health";
import type { PositionMode } from "../../src/core/gateway/exit-order-request";
import type { UserDataEvent } from "../../src/core/account/user-data-events";
import type { ExchangePort } from "../exchange/exchange-port";
import { requestWeightOf, type RequestWeightInfo } from "../exchange/request-weight";
import { createStreamClient, streamClientOptions, type StreamClient } from "../exchange/stream-endpoints";
import { UserDataStream } from "../exchange/user-data-stream";
import { AccountStream } from "./account-stream";
import { CandleSource } from "../market/candle-source";
import { ExchangeSnapshot } from "./exchange-snapshot";
import { KlineStream } from "../market/kline-stream";
import { PositionSource } from "./position-source";
import type { PriceStream } from "../market/price-stream";

export type AccountSourceEnv = Pick<
  Env,
  | "EXCHANGE" | "BINANCE_API_KEY" | "BINANCE_API_SECRET" | "SIM_URL" | "SIM_PORT" | "SIM_API_KEY" | "SIM_API_SECRET"
  | "ACCOUNT_STREAM" | "ACCOUNT_STREAM_GAP_MS" | "ACCOUNT_FULL_REFRESH_S" | "REQUEST_WEIGHT_LIMIT_1M" | "REQUEST_WEIGHT_BACKOFF_PCT"
>;

export interface AccountSource {
  snapshot: ExchangeSnapshot;
  candles: CandleSource;
  /** null when polling */
  stream: AccountStream | null;
  /** the account view cannot be confirmed now: the executor must act as SHADOW */
  unconfirmed(): boolean;
  /** called on every flip of the confirmation */
  onConfirmation(listener: (c: Confirmation) => void): void;
  /** every validated user-data event (order fees are only there); never called when polling */
  onUserDataEvent(listener: (e: UserDataEvent) => void): void;
  /** published in the heartbeat (info.account): position_mode is what the watchdog's dual-position rule reads */
  info(): { source: "stream" | "poll"; confirmed: boolean; reason: string | null; position_mode: PositionMode; request_weight: RequestWeightInfo } & Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startAccountSource(d: {
  config: AccountSourceEnv;
  exchange: ExchangePort;
  prices: Pick<PriceStream, "latest"> | null;
  log: Logger;
}): Promise<AccountSource> {
  const { config, exchange, log } = d;
  const clientOptions = streamClientOptions(config);
  const weight = requestWeightOf(clientOptions.mode, clientOptions.apiKey);
  weight.configure(config.REQUEST_WEIGHT_LIMIT_1M, config.REQUEST_WEIGHT_BACKOFF_PCT);
  const onBackoff = (waitMs: number, used: number, limit: number) =>
    log.warn(`[WEIGHT] request weight ${used}/${limit} this minute (back-off at ${config.REQUEST_WEIGHT_BACKOFF_PCT}%): reads wait ${Math.round(waitMs / 1000)} s for the next minute; orders are not held`);
  const onRefused = (status: number, retryAfterMs: number | null) =>
    log.error(`[WEIGHT] the exchange answered ${status} (${status === 418 ? "IP banned" : "too many requests"})${retryAfterMs === null ? "" : `, retry after ${Math.round(retryAfterMs / 1000)} s`}: reads are held until then`);
  weight.on("backoff", onBackoff);
  weight.on("refused", onRefused);
  const positions = new PositionSource(exchange, d.prices ?? undefined);

  if (!config.ACCOUNT_STREAM) {
    log.info(`[ACCOUNT] polling positions and orders over REST (ACCOUNT_STREAM=false)`);
    // Reads held by the request-weight back-off answer "no fresh view" at once (never parks the cycle).
    const snapshot = new ExchangeSnapshot(exchange, positions, log, Date.now, null, () => weight.readWaitMs());
    return {
      snapshot,
      candles: new CandleSource(exchange, { now: Date.now }),
      stream: null,
      unconfirmed: () => false,
      onConfirmation: () => {},
      onUserDataEvent: () => {},
      info: () => ({ source: "poll", confirmed: true, reason: null, position_mode: exchange.positionMode().connected, request_weight: weight.info() }),
      async stop() {
        weight.off("backoff", onBackoff);
        weight.off("refused", onRefused);
      },
    };
  }

  const client: StreamClient = await createStreamClient(clientOptions);
  const userData = new UserDataStream(client.listenKeys, { gapMs: config.ACCOUNT_STREAM_GAP_MS });
  const stream = new AccountStream(exchange, userData, log, { gapMs: config.ACCOUNT_STREAM_GAP_MS, fullRefreshMs: config.ACCOUNT_FULL_REFRESH_S * 1000 });
  const klines = new KlineStream(client.marketUrl, { onError: (m) => log.warn(`[MARKET] ${m}`) });
  klines.on("disconnected", (reason, attempt) => {
    if (attempt === 1 || attempt % 10 === 0) log.warn(`[MARKET] kline stream down (${reason}); reconnecting (attempt ${attempt}), candles backfilled over REST`);
  });
  stream.start();
  klines.start();
  log.info(`[ACCOUNT] positions and orders from the user-data stream (gap limit ${config.ACCOUNT_STREAM_GAP_MS} ms, full REST refresh every ${config.ACCOUNT_FULL_REFRESH_S} s); ATR candles from the kline stream`);
  const snapshot = new ExchangeSnapshot(exchange, positions, log, Date.now, stream, () => weight.readWaitMs());
  return {
    snapshot,
    candles: new CandleSource(exchange, { now: Date.now }, klines),
    stream,
    unconfirmed: () => !stream.confirmation().confirmed,
    onConfirmation: (listener) => void stream.on("confirmation", listener),
    onUserDataEvent: (listener) => void userData.on("event", listener),
    info: () => ({ source: "stream", ...stream.info(), reconnects: userData.reconnects, position_mode: exchange.positionMode().connected, request_weight: weight.info() }),
    async stop() {
      weight.off("backoff", onBackoff);
      weight.off("refused", onRefused);
      await stream.stop();
      await klines.stop();
      await client.close();
    },
  };
}
