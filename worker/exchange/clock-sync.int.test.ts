// Clock re-sync against the simulator (which checks every signed request's timestamp against its
// wall clock, -1021 outside recvWindow, as Binance): a stale offset on both ccxt clients is
// re-measured after the first -1021, and periodically.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import { admin, startTestSimulator, TEST_CREDENTIALS, waitUntil } from "../../sim/testing/test-simulator";
import { createCcxtClient, type BinanceUsdm } from "./ccxt-client";
import { CcxtExchange } from "./ccxt-exchange";
import { ExchangePortError } from "./classify-error";
import { exitRequest, sendOnce } from "./testing/exit-request";

let sim: RunningSimulator;
const open: CcxtExchange[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
  await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.01, leverage: 5 });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await sim?.close();
});

async function exchange(clockResyncMs?: number | null): Promise<{ port: CcxtExchange; reads: BinanceUsdm; orders: BinanceUsdm }> {
  const opts = { mode: "sim" as const, apiKey: TEST_CREDENTIALS.apiKey, secret: TEST_CREDENTIALS.apiSecret, simUrl: sim.url, timeoutMs: 3000 };
  const reads = await createCcxtClient(opts);
  const orders = await createCcxtClient(opts);
  const port = new CcxtExchange(reads, "sim", clockResyncMs === undefined ? {} : { clockResyncMs }, orders);
  open.push(port);
  await port.loadMarkets();
  return { port, reads, orders };
}

/** Both clients' clocks two minutes fast: every signed request is refused with -1021. */
function skew(...clients: BinanceUsdm[]): void {
  for (const c of clients) c.options["timeDifference"] = -120_000;
}

describe("clock re-sync", () => {
  it("after a -1021 the offset is re-measured on both clients; the next read and order go through", async () => {
    const { port, reads, orders } = await exchange(3_600_000);
    skew(reads, orders);
    const err = await port.fetchPositions().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangePortError);
    expect(err).toMatchObject({ kind: "clock", retryable: true, code: -1021 });
    await waitUntil(() => (port.clockSync?.resyncs ?? 0) >= 1, "the re-sync after -1021");
    for (const c of [reads, orders]) expect(Math.abs(Number(c.options["timeDifference"]))).toBeLessThan(5_000);
    expect((await port.fetchPositions()).map((p) => p.symbol)).toEqual(["BTCUSDT"]);
    const placed = await sendOnce(port, exitRequest("clock-1", { symbol: "BTCUSDT", positionSide: "long", orderType: "STOP_MARKET", quantity: 0.01, stopPrice: 40_000 }));
    expect(placed.order.status).toBe("open");
  });

  it("re-measures periodically, without any error", async () => {
    const { port, reads, orders } = await exchange(50);
    skew(reads, orders);
    await waitUntil(() => [reads, orders].every((c) => Math.abs(Number(c.options["timeDifference"])) < 5_000), "the periodic re-sync", 10_000);
    expect(port.clockSync?.failures).toBe(0);
  });

  it("is off by default for the simulator and on (every 5 minutes) for Binance", async () => {
    const { port } = await exchange();
    expect(port.clockSync).toBeNull();
    const binance = await createCcxtClient({ mode: "binance", apiKey: "k", secret: "s" });
    const live = new CcxtExchange(binance, "binance");
    open.push(live);
    expect(live.clockSync).not.toBeNull();
  });
});
