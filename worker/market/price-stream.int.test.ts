// The worker's PriceStream over the real ccxt pro client and WebSocket against the in-process
// simulator: every watched symbol's price arrives, not only the first one's (ccxt's
// watchTickers resolves with the one ticker that won the race; the others of the same burst
// used to be dropped), whether the symbols move one after the other or all in one tick.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator, waitUntil } from "../../sim/testing/test-simulator";
import type { ExchangePort } from "../exchange/exchange-port";
import { PriceStream } from "./price-stream";
import { connectSimExchange } from "../exchange/testing/sim-exchange";

let sim: RunningSimulator;
let port: ExchangePort;
let stream: PriceStream;
let symbols: string[];
const errors: unknown[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
  port = await connectSimExchange(sim);
  symbols = (await port.loadMarkets()).map((m) => m.symbol);
  stream = new PriceStream(port, symbols, { initialBackoffMs: 50, onError: (e) => errors.push(e) });
  stream.start();
  // Subscribed once a first price is in (the simulator pushes each stream's value on SUBSCRIBE).
  await waitUntil(() => symbols.some((s) => stream.latest(s) !== undefined), "a first price", 10_000);
});
afterAll(async () => {
  await stream?.stop();
  await port?.close();
  await sim?.close();
});

describe("PriceStream over ccxt and the simulator's WebSocket", () => {
  it("watches several symbols", () => {
    expect(symbols.length).toBeGreaterThanOrEqual(4);
  });

  it("holds the new price of each symbol moved with POST /admin/price, one after the other", async () => {
    // Later symbols first: the first subscribed stream is the one that used to win every race.
    for (const symbol of [...symbols].reverse()) {
      const target = sim.sim.feed.price(symbol) * 1.013;
      const { price } = await admin<{ price: number }>(sim, "POST", "/admin/price", { symbol, price: target });
      await waitUntil(() => stream.latest(symbol)?.price === price, `the stream to show ${symbol} at ${price}`, 10_000);
      expect(stream.latest(symbol)?.price).toBe(price);
    }
    expect(errors).toEqual([]);
  });

  it("holds the new price of every symbol when all of them move in the same tick", async () => {
    const before = new Map(symbols.map((s) => [s, sim.sim.feed.price(s)]));
    await admin(sim, "POST", "/admin/clock/step", { ms: 60 * 60_000 }); // an hour of candles: every symbol moves
    const moved = symbols.filter((s) => sim.sim.feed.price(s) !== before.get(s));
    expect(moved.length).toBeGreaterThanOrEqual(3);
    await waitUntil(() => symbols.every((s) => stream.latest(s)?.price === sim.sim.feed.price(s)), "every symbol's new price on the stream", 10_000);
    for (const s of symbols) expect(stream.latest(s)?.price).toBe(sim.sim.feed.price(s));
  });

  it("reports a moved symbol to the tick listeners exactly with its new price", async () => {
    const symbol = symbols[2]!;
    const seen: number[] = [];
    const off = stream.onTicks((ticks) => {
      for (const t of ticks) if (t.symbol === symbol) seen.push(t.price);
    });
    try {
      const { price } = await admin<{ price: number }>(sim, "POST", "/admin/price", { symbol, price: sim.sim.feed.price(symbol) * 0.97 });
      await waitUntil(() => seen.includes(price), `a tick for ${symbol} at ${price}`, 10_000);
      expect(seen.at(-1)).toBe(price);
    } finally {
      off();
    }
  });
});
