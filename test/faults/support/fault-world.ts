// What a fault test looks at: the worker's rows in PostgreSQL (heartbeat, leader lease, order
// attempts, audit) and the in-process simulator's own books (order log, open conditional orders,
// positions), plus a helper that opens positions of a sensible size.
import pg from "pg";
import type { RunningSimulator } from "../../../sim/server/start-simulator";
import type { LoggedOrder } from "../../../sim/engine/order-log";
import { admin } from "../../../sim/testing/test-simulator";

export interface HeartbeatRow {
  workerId: string;
  pid: number;
  beatAt: Date;
  info: { toggles?: { confirmed: boolean; version: number | null; state: string }; ha?: { leader: boolean; epoch: number | null } };
}

export interface AttemptRow {
  id: number;
  module: string;
  kind: string;
  symbol: string;
  clientOrderId: string;
  decisionId: string;
  outcome: string;
  leaderEpoch: number | null;
  operationalState: string;
  toggleVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export function dbPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 2000 });
  pool.on("error", () => {});
  return pool;
}

export async function heartbeatOf(pool: pg.Pool, pid: number): Promise<HeartbeatRow | undefined> {
  const { rows } = await pool.query<HeartbeatRow>(
    `SELECT worker_id AS "workerId", pid, beat_at AS "beatAt", info FROM worker_heartbeat WHERE pid = $1 ORDER BY beat_at DESC LIMIT 1`,
    [pid],
  );
  return rows[0];
}

/** Seconds since the worker's last beat, by the database's clock (no clock skew with the test). */
export async function heartbeatAgeS(pool: pg.Pool, pid: number): Promise<number | undefined> {
  const { rows } = await pool.query<{ age: number }>(`SELECT EXTRACT(EPOCH FROM now() - beat_at)::float8 AS age FROM worker_heartbeat WHERE pid = $1`, [pid]);
  return rows[0]?.age;
}

export async function leaderRow(pool: pg.Pool): Promise<{ holderId: string; epoch: number; leaseUntil: Date } | undefined> {
  const { rows } = await pool.query<{ holderId: string; epoch: string; leaseUntil: Date }>(
    `SELECT holder_id AS "holderId", epoch, lease_until AS "leaseUntil" FROM worker_leader WHERE id = 1`,
  );
  return rows[0] ? { ...rows[0], epoch: Number(rows[0].epoch) } : undefined;
}

export async function attempts(pool: pg.Pool): Promise<AttemptRow[]> {
  const { rows } = await pool.query<AttemptRow & { leaderEpoch: string | null; toggleVersion: string | null; id: string }>(
    `SELECT id, module, kind, symbol, client_order_id AS "clientOrderId", decision_id AS "decisionId", outcome, leader_epoch AS "leaderEpoch",
            operational_state AS "operationalState", toggle_version AS "toggleVersion", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM exit_order_attempt ORDER BY id`,
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    leaderEpoch: r.leaderEpoch === null ? null : Number(r.leaderEpoch),
    toggleVersion: r.toggleVersion === null ? null : Number(r.toggleVersion),
  }));
}

/** Orders the worker sent (source "api"), as the simulator logged them: plain and conditional. */
export interface ApiOrder {
  clientOrderId: string;
  symbol: string;
  type: string;
  side: string;
  price: number;
  quantity: number;
}

export function apiOrders(sim: RunningSimulator, from = 0): ApiOrder[] {
  return sim.sim.engine.log.accepted.slice(from).flatMap((o: LoggedOrder): ApiOrder[] => {
    if (o.kind === "algo") {
      const a = o.algo;
      return a.source === "api" ? [{ clientOrderId: a.clientAlgoId, symbol: a.symbol, type: a.orderType, side: a.side, price: a.triggerPrice, quantity: a.quantity }] : [];
    }
    const p = o.order;
    return p.source === "api" ? [{ clientOrderId: p.clientOrderId, symbol: p.symbol, type: p.type, side: p.side, price: p.stopPrice || p.price, quantity: p.origQty }] : [];
  });
}

/**
 * Duplicate orders in the simulator's log: the same client order id accepted twice, or two
 * accepted orders that are the same decision under different ids (symbol, type, side, trigger
 * price and quantity all equal).
 */
export function duplicateOrders(sim: RunningSimulator): { sameClientId: number; sameDecision: number } {
  const orders = apiOrders(sim);
  const count = (keys: string[]) => {
    const seen = new Map<string, number>();
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
    return [...seen.values()].filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
  };
  return {
    sameClientId: count(orders.map((o) => o.clientOrderId)),
    sameDecision: count(orders.map((o) => `${o.symbol}|${o.type}|${o.side}|${o.price}|${o.quantity}`)),
  };
}

/** The venue refused a client order id it had seen: the worker re-sent a decision (prevented by the venue). */
export function resendsRefused(sim: RunningSimulator): number {
  return sim.sim.engine.log.rejected.filter((r) => r.code === -4116).length;
}

/** Open exchange-side stops per open position (the simulator's own books). */
export function stopsPerPosition(sim: RunningSimulator): { symbol: string; stops: number }[] {
  const engine = sim.sim.engine;
  // per position: per symbol in one-way mode (BOTH), per symbol and side in hedge mode
  return engine.book.all().map((p) => ({
    symbol: p.symbol,
    stops: engine.openAlgos(p.symbol).filter((a) => a.positionSide === p.positionSide && (a.orderType === "STOP_MARKET" || a.orderType === "TRAILING_STOP_MARKET")).length,
  }));
}

/** Open STOP_MARKET orders on the exchange (the simulator's own books), by algo id. */
export function restingStopIds(sim: RunningSimulator): Set<string> {
  const engine = sim.sim.engine;
  return new Set(engine.book.all().flatMap((p) => engine.openAlgos(p.symbol).filter((a) => a.orderType === "STOP_MARKET").map((a) => String(a.algoId))));
}

/** Opens (or adds to) a position worth about `notional` USDT at the current price. */
export async function openPosition(sim: RunningSimulator, symbol: string, side: "long" | "short", notional = 1500): Promise<void> {
  const price = sim.sim.feed.price(symbol);
  const step = symbol === "SOLUSDT" ? 1 : symbol === "XRPUSDT" ? 0.1 : 0.001;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const quantity = Number((Math.max(step, Math.round(notional / price / step) * step)).toFixed(decimals));
  await admin(sim, "POST", "/admin/position/open", { symbol, side, quantity, leverage: 5 });
}

/** Closes every position on the symbol (both sides in hedge mode). */
export async function closePosition(sim: RunningSimulator, symbol: string): Promise<void> {
  if (sim.sim.engine.book.all().some((p) => p.symbol === symbol)) await admin(sim, "POST", "/admin/position/close", { symbol });
}

/** Symbols with an open position (once each, also when a hedge-mode symbol holds both sides). */
export function openSymbols(sim: RunningSimulator): string[] {
  return [...new Set(sim.sim.engine.book.all().map((p) => p.symbol))];
}
