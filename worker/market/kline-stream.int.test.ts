// ATR candles from the kline stream, with real ccxt (the REST backfill) and a real WebSocket
// against the in-process simulator: closed candles only, appended as the stream closes them
// (no REST call), the same candles REST has; after a reconnection the next read backfills.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator, waitUntil } from "../../sim/testing/test-simulator";
import type { Candle } from "../../src/core/market/types";
import type { ExchangePort } from "../exchange/exchange-port";
import type { StreamClient } from "../exchange/stream-endpoints";
import { CandleSource } from "./candle-source";
import { KlineStream } from "./kline-stream";
import { connectSimExchange, connectSimStreamClient } from "../exchange/testing/sim-exchange";

const FIVE_MIN = 300_000;
let sim: RunningSimulator;
let port: ExchangePort;
let client: StreamClient;
let klines: KlineStream;
let source: CandleSource;
let restCalls = 0;
const errors: string[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
  port = await connectSimExchange(sim);
  await port.loadMarkets();
  client = await connectSimStreamClient(sim);
  klines = new KlineStream(client.marketUrl, { initialBackoffMs: 50, maxBackoffMs: 200, onError: (m) => errors.push(m) });
  klines.start();
  const counted = { fetchCandles: (s: string, tf: string, n: number) => (restCalls++, port.fetchCandles(s, tf, n)) };
  source = new CandleSource(counted, { now: Date.now }, klines);
  await waitUntil(() => klines.connected(), "the kline stream to connect");
});

afterAll(async () => {
  await klines?.stop();
  await client?.close();
  await port?.close();
  await sim?.close();
});

async function restClosed(limit: number): Promise<Candle[]> {
  return (await port.fetchCandles("BTCUSDT", "5m", limit + 1)).slice(0, -1);
}

describe("CandleSource over the simulator's kline stream", () => {
  it("backfills closed candles over REST once, then appends each candle the stream closes", async () => {
    const first = await source.recent("BTCUSDT", "5m", 20);
    expect(first).toEqual(await restClosed(20));
    expect(restCalls).toBe(1);
    expect(await source.recent("BTCUSDT", "5m", 20)).toBe(first); // the same array until a candle closes

    await admin(sim, "POST", "/admin/clock/step", { ms: FIVE_MIN }); // one candle closes
    let next = first;
    await waitUntil(() => {
      void source.recent("BTCUSDT", "5m", 20).then((c) => (next = c));
      return next.at(-1)!.openTime === first.at(-1)!.openTime + FIVE_MIN;
    }, "the closed candle from the stream");
    expect(restCalls).toBe(1); // no REST call for it
    expect(next).toEqual(await restClosed(20));

    await admin(sim, "POST", "/admin/clock/step", { ms: 3 * FIVE_MIN }); // three close in one jump
    await waitUntil(() => {
      void source.recent("BTCUSDT", "5m", 20).then((c) => (next = c));
      return next.at(-1)!.openTime === first.at(-1)!.openTime + 4 * FIVE_MIN;
    }, "the three closed candles");
    expect(next).toEqual(await restClosed(20));
    expect(restCalls).toBe(1);
    expect(errors).toEqual([]);
  });

  it("after the stream reconnects, the next read backfills over REST the candles closed meanwhile", async () => {
    await source.recent("BTCUSDT", "5m", 20);
    const before = restCalls;
    // The simulator drops market sockets only when it closes; an outage here = the socket closed
    // from this side, then candles closing before the reconnection.
    const reconnected = new Promise<void>((resolve) => klines.once("connected", () => resolve()));
    (klines as unknown as { socket: { terminate(): void } | null }).socket?.terminate();
    await reconnected;
    await admin(sim, "POST", "/admin/clock/step", { ms: 2 * FIVE_MIN });
    const after = await source.recent("BTCUSDT", "5m", 20);
    expect(restCalls).toBe(before + 1);
    expect(after).toEqual(await restClosed(20));
  });
});
