// Starts the whole simulator (engine + HTTP + WS + admin) on a port; used by sim/main.ts and,
// in-process on port 0, by integration tests.
import type { AddressInfo } from "node:net";
import { createAdminRouter } from "../admin/admin-routes";
import { fapiRoutes } from "../api/fapi-routes";
import { ListenKeys } from "../api/listen-keys";
import type { Credentials } from "../api/signature";
import { Simulator, type SimulatorOptions } from "../engine/simulator";
import { FaultInjector } from "./faults";
import { createHttpServer } from "./http-server";
import { RealtimeDriver } from "./realtime-driver";
import { BINANCE_WEIGHT_LIMIT_1M, WeightLimiter, type WeightLimitInput } from "./weight-limiter";
import { attachWebSocket } from "./ws-server";

export interface StartOptions extends SimulatorOptions {
  port: number;
  host?: string;
  credentials: Credentials;
  /** market ms per wall ms; 0 = the clock moves only through the admin API */
  speed: number;
  log?: (line: string) => void;
  /** request-weight limit; default Binance's (2,400 a minute per IP, 429 then 418); `{ limit: null }` = count only */
  weightLimit?: WeightLimitInput;
}

export interface RunningSimulator {
  sim: Simulator;
  port: number;
  /** e.g. http://127.0.0.1:8790 */
  url: string;
  setSpeed(speed: number): void;
  /** Binance's request-weight accounting of this simulator (settings, usage, totals) */
  weights: WeightLimiter;
  /** connected WebSocket clients, by kind */
  wsClients(): { market: number; user: number };
  close(): Promise<void>;
}

export async function startSimulator(opts: StartOptions): Promise<RunningSimulator> {
  const log = opts.log ?? (() => {});
  const sim = new Simulator(opts);
  const seed = opts.seed ?? 1;
  const faults = new FaultInjector(seed);
  const listenKeys = new ListenKeys();
  const driver = new RealtimeDriver(sim, opts.speed);
  const weights = new WeightLimiter(opts.weightLimit ?? { limit: BINANCE_WEIGHT_LIMIT_1M });
  // The hub is attached to the server below; the admin API reaches it through this indirection.
  const userStreams = {
    dropUserStreams: (ms: number) => hub.dropUserStreams(ms),
    stallUserStreams: (ms: number) => hub.stallUserStreams(ms),
    expireListenKey: () => hub.expireListenKey(),
  };
  const admin = createAdminRouter(sim, faults, driver, weights, userStreams);
  const server = createHttpServer({
    routes: fapiRoutes(sim, listenKeys, Date.now),
    admin,
    faults,
    weights,
    creds: opts.credentials,
    wallNow: Date.now,
    log,
  });
  const hub = attachWebSocket(server, sim, listenKeys, Date.now);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  driver.start();
  const port = (server.address() as AddressInfo).port;
  return {
    sim,
    port,
    url: `http://${host}:${port}`,
    setSpeed: (s) => driver.setSpeed(s),
    weights,
    wsClients: () => hub.clientCount(),
    async close() {
      driver.stop();
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
