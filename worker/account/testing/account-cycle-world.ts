// The account cycle against the simulator for integration tests (real ccxt, real PostgreSQL for
// reconciliation and safety records), with the account view from the user-data stream or polled
// over REST. The gateway here sends as the port does: the gateway's own rules have their own tests.
// Every cycle starts with one refresh of the view, so counting refreshes counts cycles.
import type pg from "pg";
import type { RunningSimulator } from "../../../sim/server/start-simulator";
import { admin, startTestSimulator, waitUntil } from "../../../sim/testing/test-simulator";
import { createLogger } from "../../../src/server/logger";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { clientOrderIdFor } from "../../exchange/client-order-id";
import { createExchange } from "../../exchange/create-exchange";
import type { ExchangePort } from "../../exchange/exchange-port";
import { simExchangeEnv } from "../../exchange/testing/sim-exchange";
import type { ExitOrderGateway } from "../../gateway/exit-order-gateway";
import { startAccountCycle } from "../account-cycle";
import { startAccountSource, type AccountSource } from "../start-account-source";

type Submit = Awaited<ReturnType<ExitOrderGateway["submit"]>>;

export interface AccountCycleWorld {
  sim: RunningSimulator;
  source: AccountSource;
  /** refreshes asked for (one per cycle), refreshes answered, orders the gateway was asked to send */
  counts: { asked: number; answered: number; sends: number };
  open(symbol: string, side: "long" | "short", quantity: number): Promise<void>;
  /** whether `symbol`'s position has a closing-side STOP_MARKET resting on the simulator */
  hasClosingStop(symbol: string): boolean;
  close(): Promise<void>;
}

export async function startAccountCycleWorld(o: { name: string; stream: boolean }): Promise<AccountCycleWorld> {
  const log = createLogger({ name: `${o.name}-test`, level: "fatal", file: null });
  const t: TestDatabase = await createTestDatabase(o.name.replace(/[^a-z]/g, ""));
  const { default: pgLib } = await import("pg");
  const pool: pg.Pool = new pgLib.Pool({ connectionString: t.url, max: 3 });
  const sim = await startTestSimulator();
  const env = simExchangeEnv(sim);
  const port: ExchangePort = await createExchange(env);
  await port.loadMarkets();
  const source = await startAccountSource({
    config: { ...env, ACCOUNT_STREAM: o.stream, ACCOUNT_STREAM_GAP_MS: 5000, ACCOUNT_FULL_REFRESH_S: 600, REQUEST_WEIGHT_LIMIT_1M: 2400, REQUEST_WEIGHT_BACKOFF_PCT: 80 },
    exchange: port,
    prices: null,
    log,
  });
  if (o.stream) await waitUntil(() => !source.unconfirmed(), "the account view to be confirmed", 10_000);
  const counts = { asked: 0, answered: 0, sends: 0 };
  const refresh = source.snapshot.refresh.bind(source.snapshot);
  source.snapshot.refresh = async () => {
    counts.asked++;
    const r = await refresh();
    counts.answered++;
    return r;
  };
  const gateway: Pick<ExitOrderGateway, "submit" | "cancel"> = {
    async submit(req) {
      counts.sends++;
      const clientOrderId = clientOrderIdFor(req.decisionId);
      const decision = { allowed: true, reason: "test", ownershipConflict: false } as unknown as Submit["decision"];
      try {
        const placed = await port.placeExitOrder(req, clientOrderId);
        return { outcome: "placed", clientOrderId, exchangeOrderId: placed.id, decision, duplicateSuppressed: false } as Submit;
      } catch {
        return { outcome: "failed", clientOrderId, exchangeOrderId: null, decision, duplicateSuppressed: false } as Submit;
      }
    },
    async cancel() {
      return { outcome: "cancelled", error: null };
    },
  };
  const cycle = startAccountCycle({
    config: { ACCOUNT_REFRESH_MS: 100, LEGACY_INTERVAL_S: 0.1 },
    log, pool, db: t.db, exchange: port, snapshot: source.snapshot, gateway,
    toggles: { view: () => ({ state: "LEGACY", version: 1 }) } as never,
    lease: { isLeader: () => true, currentEpoch: () => 1, on: () => undefined } as never,
  });
  await waitUntil(() => cycle.ready(), "the cycle to reconcile", 10_000);
  return {
    sim, source, counts,
    open: async (symbol, side, quantity) => {
      await admin(sim, "POST", "/admin/position/open", { symbol, side, quantity, leverage: 5 });
    },
    hasClosingStop(symbol) {
      const amt = sim.sim.engine.book.amt(symbol);
      if (amt === 0) return false;
      return sim.sim.engine.openAlgos(symbol).some((a) => a.side === (amt > 0 ? "SELL" : "BUY") && a.orderType === "STOP_MARKET");
    },
    async close() {
      await cycle.stop();
      await source.stop();
      await port.close();
      await sim.close();
      await pool.end();
      await t.drop();
    },
  };
}
