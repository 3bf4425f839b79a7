import { describe, expect, it } from "vitest";
import type { PriceTick } from "../exchange/exchange-port";
import { PriceStream } from "./price-stream";

describe("PriceStream", () => {
  it("keeps going after errors, backing off exponentially, and keeps the latest price", async () => {
    const script: (PriceTick[] | Error)[] = [
      new Error("socket closed"),
      new Error("socket closed"),
      [{ symbol: "BTCUSDT", price: 100, timestamp: 1 }],
      new Error("socket closed"),
      [{ symbol: "BTCUSDT", price: 101, timestamp: 2 }],
    ];
    const sleeps: number[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const port = {
      watchPrices: async (): Promise<PriceTick[]> => {
        const next = script.shift();
        if (next === undefined) {
          done();
          return new Promise(() => {}); // no more updates
        }
        if (next instanceof Error) throw next;
        return next;
      },
    };
    const errors: number[] = [];
    const stream = new PriceStream(port, ["BTCUSDT"], {
      initialBackoffMs: 100,
      sleep: async (ms) => void sleeps.push(ms),
      onError: (_e, attempt) => errors.push(attempt),
    });
    const seen: number[] = [];
    stream.onTicks((t) => seen.push(t[0]!.price));
    stream.start();
    await finished;
    expect(seen).toEqual([100, 101]);
    expect(sleeps).toEqual([100, 200, 100]);
    expect(errors).toEqual([1, 2, 1]);
    expect(stream.reconnects).toBe(3);
    expect(stream.latest("BTCUSDT")?.price).toBe(101);
  });
});
