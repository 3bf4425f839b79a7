// The worker's view of the account (open positions, open orders, wallet) as a pure reduction:
// a full REST read sets it (accountFromRest), each user-data event moves it (applyUserDataEvent).
// A REST read races the stream: events that arrived while it was out are applied again on top of
// it (rebaseOnRest), in order; every event carries the whole new state of what it names (an
// order's status, a position's amount), so applying one twice is harmless.
import type { OrderSide } from "../gateway/exit-order-request";
import type { PositionSnapshot, Side } from "../market/types";
import { algoOrderStatus, exchangeOrderTypeOf, type ExchangeOrder, type ExchangeOrderStatus } from "../market/exchange-order";
import type { AccountUpdateEvent, AlgoUpdateEvent, OrderTradeUpdateEvent, UserDataEvent } from "./user-data-events";

export interface AccountView {
  /** open positions by positionKey(symbol, side) */
  positions: ReadonlyMap<string, PositionSnapshot>;
  /** open orders (plain and conditional) by orderKey */
  orders: ReadonlyMap<string, ExchangeOrder>;
  /** USDT wallet balance from the last ACCOUNT_UPDATE; null until one arrives */
  walletBalance: number | null;
  /** last leverage seen per symbol (Binance keeps it per symbol, across positions) */
  leverage: ReadonlyMap<string, number>;
  /** symbols whose position was opened by an event: leverage and liquidation price still unread */
  needsDetail: ReadonlySet<string>;
  /** venue time (E) of the last event applied; null = REST only */
  lastEventAt: number | null;
}

export function positionKey(symbol: string, side: Side): string {
  return `${symbol}|${side}`;
}

export function orderKey(o: Pick<ExchangeOrder, "conditional" | "symbol" | "id">): string {
  return `${o.conditional ? "algo" : "plain"}|${o.symbol}|${o.id}`;
}

export const EMPTY_ACCOUNT: AccountView = {
  positions: new Map(), orders: new Map(), walletBalance: null, leverage: new Map(), needsDetail: new Set(), lastEventAt: null,
};

/** A full REST read (positions and every open order) → the view; keeps what REST does not carry. */
export function accountFromRest(rest: { positions: PositionSnapshot[]; orders: ExchangeOrder[] }, previous: AccountView = EMPTY_ACCOUNT): AccountView {
  const leverage = new Map(previous.leverage);
  const positions = new Map<string, PositionSnapshot>();
  for (const p of rest.positions) {
    if (p.size <= 0) continue;
    positions.set(positionKey(p.symbol, p.side), p);
    leverage.set(p.symbol, p.leverage);
  }
  const orders = new Map<string, ExchangeOrder>();
  for (const o of rest.orders) if (o.status === "open") orders.set(orderKey(o), o);
  return { positions, orders, walletBalance: previous.walletBalance, leverage, needsDetail: new Set(), lastEventAt: previous.lastEventAt };
}

/** An event and when the worker received it (its own clock). */
export interface ReceivedEvent {
  event: UserDataEvent;
  at: number;
}

/** Events that arrived while a REST read was out, applied in order on top of its result. */
export function rebaseOnRest(rest: { positions: PositionSnapshot[]; orders: ExchangeOrder[] }, previous: AccountView, since: readonly ReceivedEvent[]): AccountView {
  return since.reduce((v, r) => applyUserDataEvent(v, r.event, r.at), accountFromRest(rest, previous));
}

/**
 * `receivedAt` (the worker's clock) starts a stop's "firing since" when this event is the first
 * sign of it (the unprotected-position rule's grace period, src/core/watchdog/stop-lifecycle.ts).
 */
export function applyUserDataEvent(view: AccountView, event: UserDataEvent, receivedAt: number): AccountView {
  switch (event.e) {
    case "ACCOUNT_UPDATE":
      return applyAccountUpdate(view, event);
    case "ORDER_TRADE_UPDATE":
      return withOrder(view, orderOfTradeUpdate(event), event.E, receivedAt);
    case "ALGO_UPDATE":
      return withOrder(view, orderOfAlgoUpdate(event), event.E, receivedAt);
    default:
      return view; // listenKeyExpired and ignored kinds do not change the account
  }
}

/** Leverage and liquidation price of a symbol's positions, read over REST after an event opened one. */
export function withPositionDetail(view: AccountView, symbol: string, rest: PositionSnapshot[]): AccountView {
  const positions = new Map(view.positions);
  const leverage = new Map(view.leverage);
  for (const p of rest) {
    if (p.symbol !== symbol || p.size <= 0) continue;
    leverage.set(symbol, p.leverage);
    const key = positionKey(symbol, p.side);
    const mine = positions.get(key);
    // The stream's size and entry are newer than (or as new as) the REST read's; only the details.
    if (mine) positions.set(key, { ...mine, leverage: p.leverage, liquidationPrice: p.liquidationPrice, markPrice: p.markPrice });
  }
  const needsDetail = new Set(view.needsDetail);
  needsDetail.delete(symbol);
  return { ...view, positions, leverage, needsDetail };
}

/** The view as the executor and the legacy modules read it: arrays, open orders only. */
export function accountSnapshotOf(view: AccountView): { positions: PositionSnapshot[]; openOrders: ExchangeOrder[] } {
  return { positions: [...view.positions.values()], openOrders: [...view.orders.values()] };
}

function applyAccountUpdate(view: AccountView, event: AccountUpdateEvent): AccountView {
  const positions = new Map(view.positions);
  const needsDetail = new Set(view.needsDetail);
  for (const row of event.a.P) {
    // One-way mode (BOTH): the sign of the amount is the side, and a symbol has one position.
    const sides: Side[] = row.ps === "LONG" ? ["long"] : row.ps === "SHORT" ? ["short"] : ["long", "short"];
    const side: Side = row.ps === "LONG" ? "long" : row.ps === "SHORT" ? "short" : row.pa >= 0 ? "long" : "short";
    const key = positionKey(row.s, side);
    const before = view.positions.get(key);
    for (const s of sides) if (s !== side || row.pa === 0) positions.delete(positionKey(row.s, s));
    if (row.pa === 0) continue;
    const size = Math.abs(row.pa);
    if (before) {
      positions.set(key, { ...before, size, entryPrice: row.ep, unrealizedPnl: row.up });
      continue;
    }
    const lev = view.leverage.get(row.s);
    needsDetail.add(row.s);
    positions.set(key, {
      symbol: row.s, side, size, entryPrice: row.ep, markPrice: row.ep, leverage: lev ?? 1, liquidationPrice: null, unrealizedPnl: row.up, openedAt: event.T,
    });
  }
  const usdt = event.a.B.find((b) => b.a === "USDT");
  return { ...view, positions, needsDetail, walletBalance: usdt ? usdt.wb : view.walletBalance, lastEventAt: event.E };
}

function withOrder(view: AccountView, order: ExchangeOrder, at: number, receivedAt: number): AccountView {
  const orders = new Map(view.orders);
  const key = orderKey(order);
  if (order.status === "open") {
    const firing = order.algoStatus === "TRIGGERING" || order.algoStatus === "TRIGGERED";
    // The worker's "first seen firing" clock survives later updates of the same order.
    const since = firing ? (orders.get(key)?.triggeringSince ?? receivedAt) : null;
    orders.set(key, { ...order, triggeringSince: since });
  } else orders.delete(key);
  return { ...view, orders, lastEventAt: at };
}

function sideOf(s: "BUY" | "SELL"): OrderSide {
  return s === "BUY" ? "buy" : "sell";
}

function positiveOrNull(n: number): number | null {
  return n > 0 ? n : null;
}

/** Binance's order status (X) → the port's; NEW and PARTIALLY_FILLED still work. */
function plainStatus(x: string): ExchangeOrderStatus {
  switch (x) {
    case "NEW":
    case "PARTIALLY_FILLED":
      return "open";
    case "FILLED":
      return "closed";
    case "CANCELED":
      return "canceled";
    case "EXPIRED":
    case "EXPIRED_IN_MATCH":
      return "expired";
    case "REJECTED":
      return "rejected";
    default:
      return "unknown";
  }
}

/** Can only reduce: reduceOnly or closePosition (one-way), or the closing side of its position side (hedge mode has no reduceOnly flag). */
function reducesOnly(o: { R: boolean; cp: boolean; S: string; ps: "BOTH" | "LONG" | "SHORT" }): boolean {
  return o.R || o.cp || (o.ps === "LONG" && o.S === "SELL") || (o.ps === "SHORT" && o.S === "BUY");
}

export function orderOfTradeUpdate(event: OrderTradeUpdateEvent): ExchangeOrder {
  const o = event.o;
  return {
    id: String(o.i), clientOrderId: o.c, symbol: o.s, side: sideOf(o.S), type: exchangeOrderTypeOf(o.o), conditional: false, status: plainStatus(o.X),
    algoStatus: null, triggeringSince: null, quantity: o.q, filled: o.z, averagePrice: positiveOrNull(o.ap), triggerPrice: positiveOrNull(o.sp),
    reduceOnly: reducesOnly(o), closePosition: o.cp, timestamp: o.T, positionSide: o.ps,
  };
}

export function orderOfAlgoUpdate(event: AlgoUpdateEvent): ExchangeOrder {
  const o = event.o;
  return {
    id: String(o.aid), clientOrderId: o.caid, symbol: o.s, side: sideOf(o.S), type: exchangeOrderTypeOf(o.o), conditional: true, status: algoOrderStatus(o.X, o.aq),
    algoStatus: o.X, triggeringSince: null, quantity: o.q, filled: o.aq, averagePrice: positiveOrNull(o.ap), triggerPrice: positiveOrNull(o.tp),
    reduceOnly: reducesOnly(o), closePosition: o.cp, timestamp: event.T, positionSide: o.ps,
  };
}
