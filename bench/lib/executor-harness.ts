// The worker's executor path, composed in-process the way worker/main.ts composes it (exchange
// port over ccxt -> simulator, price stream, account snapshot, candles, gateway, executor), so
// a benchmark can time one cycle or one price tick without the rest of the worker. HA and
// fencing are off (one process).
import pg from "pg";
import { parseCeilings } from "../../src/core/toggles";
import { createDb, type Db } from "../../src/server/db/client";
import { createLogger } from "../../src/server/logger";
import { bootToggles } from "../../src/server/services/toggles/boot-toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { createCcxtClient, type BinanceUsdm } from "../../worker/exchange/ccxt-client";
import { CcxtExchange } from "../../worker/exchange/ccxt-exchange";
import type { ExchangePort } from "../../worker/exchange/exchange-port";
import { executorConfigFromEnv, type ExecutorConfig } from "../../worker/executor/executor-config";
import { startExecutor, type RunningExecutor } from "../../worker/executor/start-executor";
import { ExitOrderGateway } from "../../worker/gateway/exit-order-gateway";
import { CandleSource } from "../../worker/market/candle-source";
import { ExchangeSnapshot } from "../../worker/account/exchange-snapshot";
import { PositionSource } from "../../worker/account/position-source";
import { PriceStream } from "../../worker/market/price-stream";
import { ToggleWatcher } from "../../worker/toggles/toggle-watcher";
import { BENCH_SIM_CREDENTIALS } from "./bench-sim";

export interface HarnessOptions {
  dbUrl: string;
  simUrl: string;
  mode: "SHADOW" | "LIVE";
  /** subscribe to the price stream (tick-triggered evaluations) */
  priceStream: boolean;
  intervalS: number;
  debounceMs: number;
  /**
   * ccxt's client-side request-weight throttle; default as the product sets it for the simulator
   * (off since EXCHANGE=sim has no limit; on for Binance). On shows what Binance's setting costs.
   */
  rateLimit?: boolean;
}

export interface Harness {
  db: Db;
  exchange: ExchangePort;
  snapshot: ExchangeSnapshot;
  prices: PriceStream | null;
  executor: RunningExecutor;
  /** the executor's live config object: it reads debounceMs / intervalS on every use */
  config: ExecutorConfig;
  /** turns ccxt's client-side throttle of the read client on or off from now on (orders are never throttled) */
  setRateLimit(on: boolean): void;
  /**
   * Whether price ticks reach the executor (default yes). Off = the runbook's polling loop: the
   * executor evaluates only when a cycle runs (its positions still carry the stream's last mark).
   */
  setTicksToExecutor(on: boolean): void;
  stop(): Promise<void>;
}

export async function setMode(db: Db, mode: "SHADOW" | "LIVE"): Promise<void> {
  await bootToggles(db, {});
  await changeToggles(db, {
    changes: { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: mode, EXIT_BRAIN_V3_LIVE_ROLLOUT: mode === "LIVE" ? "ENABLED" : "DISABLED" },
    actor: "bench", source: "api", reason: "bench", confirmLive: mode === "LIVE", ceilings: {},
  });
}

export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const log = createLogger({ name: "bench-worker", level: "silent", console: false });
  const db = createDb(o.dbUrl, { max: 4 });
  await setMode(db, o.mode);
  const toggles = new ToggleWatcher({ connectionString: o.dbUrl, ceilings: parseCeilings({}), log });
  await toggles.start();
  const { port: exchange, client } = await simClient(o.simUrl, o.rateLimit);
  const markets = await exchange.loadMarkets();
  const prices = o.priceStream ? new PriceStream(exchange, markets.map((m) => m.symbol)) : null;
  prices?.start();
  const snapshot = new ExchangeSnapshot(exchange, new PositionSource(exchange, prices ?? undefined), log);
  const pool = new pg.Pool({ connectionString: o.dbUrl, max: 6 });
  pool.on("error", () => {});
  const gateway = new ExitOrderGateway({ pool, exchange, ceilings: parseCeilings({}), log });
  const config: ExecutorConfig = {
    ...executorConfigFromEnv({ EXIT_BRAIN_INTERVAL_S: o.intervalS, EXIT_BRAIN_TIMEFRAME: "5m", EXIT_BRAIN_PRICE_DEBOUNCE_MS: o.debounceMs, SHADOW_LOG_FILE: "", SHADOW_LOG_HOLD_SAMPLE: 1 }),
  };
  await snapshot.refresh();
  let ticksOn = true;
  const executorPrices = prices && {
    latest: (symbol: string) => prices.latest(symbol),
    onTicks: (l: Parameters<PriceStream["onTicks"]>[0]) => prices.onTicks((ticks) => void (ticksOn && l(ticks))),
  };
  const executor = startExecutor({ db, port: exchange, snapshot, prices: executorPrices, candles: new CandleSource(exchange, { now: Date.now }), gateway, toggles, log, config });
  return {
    db, exchange, snapshot, prices, executor, config,
    setRateLimit: (on) => void (client.enableRateLimit = on),
    setTicksToExecutor: (on) => void (ticksOn = on),
    async stop() {
      await executor.stop();
      await prices?.stop();
      await exchange.close().catch(() => {});
      await toggles.stop();
      await pool.end().catch(() => {});
      await db.$disconnect();
    },
  };
}

/** The worker's exchange port on the simulator, as createExchange builds it, throttle optional. */
export async function simExchange(simUrl: string, rateLimit?: boolean): Promise<ExchangePort> {
  return (await simClient(simUrl, rateLimit)).port;
}

async function simClient(simUrl: string, rateLimit?: boolean): Promise<{ port: ExchangePort; client: BinanceUsdm }> {
  const opts = { mode: "sim" as const, apiKey: BENCH_SIM_CREDENTIALS.apiKey, secret: BENCH_SIM_CREDENTIALS.apiSecret, simUrl };
  // As createExchange builds it for Binance: reads through `client` (its throttle is what
  // setRateLimit switches), orders through a second client that is never throttled.
  const client = await createCcxtClient(opts);
  const orders = await createCcxtClient({ ...opts, throttle: false });
  if (rateLimit !== undefined) client.enableRateLimit = rateLimit;
  return { port: new CcxtExchange(client, "sim", {}, orders), client };
}
