// Engine events and prices → Binance's WebSocket payloads (user-data and market streams).
import type { EngineEvent } from "../engine/order-types";
import type { Simulator } from "../engine/simulator";

export function userStreamPayload(sim: Simulator, e: EngineEvent): Record<string, unknown> {
  if (e.kind === "order") {
    const o = e.order;
    return {
      e: "ORDER_TRADE_UPDATE", E: e.time, T: e.time,
      o: {
        s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: String(o.origQty), p: String(o.price),
        ap: String(o.avgPrice), sp: String(o.stopPrice), x: e.execType, X: o.status, i: o.orderId,
        l: String(e.fill?.qty ?? 0), z: String(o.executedQty), L: String(e.fill?.price ?? 0), N: "USDT",
        n: String(e.fill?.commission ?? 0), T: e.time, t: e.fill ? o.orderId : 0, b: "0", a: "0", m: false, R: o.reduceOnly,
        wt: "CONTRACT_PRICE", ot: o.origType, ps: o.positionSide, cp: o.closePosition, rp: String(e.fill?.realizedPnl ?? 0), pP: false,
        si: 0, ss: 0, V: "EXPIRE_MAKER", pm: "NONE", gtd: 0,
      },
    };
  }
  if (e.kind === "algo") {
    const a = e.algo;
    return {
      e: "ALGO_UPDATE", T: e.time, E: e.time,
      o: {
        caid: a.clientAlgoId, aid: a.algoId, at: "CONDITIONAL", o: a.orderType, s: a.symbol, S: a.side, ps: a.positionSide, f: "GTC",
        q: String(a.quantity), X: a.algoStatus, ai: a.actualOrderId === null ? "" : String(a.actualOrderId), ap: String(a.avgPrice),
        aq: String(a.executedQty), act: a.actualOrderId === null ? "0" : "MARKET", tp: String(a.triggerPrice), p: "0", V: "EXPIRE_MAKER", wt: "CONTRACT_PRICE", pm: "NONE", cp: a.closePosition,
        pP: false, R: a.reduceOnly, tt: a.triggerTime, gtd: 0, rm: a.rejectReason,
      },
    };
  }
  const book = sim.engine.book;
  const mark = sim.feed.price(e.symbol);
  const open = book.ofSymbol(e.symbol);
  // A position that went flat is reported with size 0 (on the side the account's mode uses).
  const rows = open.length > 0 ? open : [null];
  return {
    e: "ACCOUNT_UPDATE", E: e.time, T: e.time,
    a: {
      m: e.reason,
      B: [{ a: "USDT", wb: String(book.walletBalance), cw: String(book.walletBalance), bc: "0" }],
      P: rows.map((p) => ({
        s: e.symbol, pa: String(p?.amt ?? 0), ep: String(p?.entryPrice ?? 0), bep: String(p?.entryPrice ?? 0), cr: "0",
        up: String(p ? book.unrealizedPnl(p, mark) : 0), mt: "cross", iw: "0", ps: p?.positionSide ?? (sim.engine.isDualSide() ? "LONG" : "BOTH"),
      })),
    },
  };
}

/** Payload of one market stream name, e.g. btcusdt@miniTicker or !ticker@arr; null if unknown. */
export function marketStreamPayload(sim: Simulator, stream: string): unknown {
  const now = sim.clock.now();
  const m = /^(!|[a-z0-9]+)@(ticker|miniTicker|markPrice)(@arr)?(@1s)?$/.exec(stream);
  if (!m) return null;
  const [, who, channel] = m;
  const symbols = who === "!" ? sim.symbols() : [who!.toUpperCase()];
  if (symbols.some((s) => !sim.feed.has(s))) return null;
  const one = (symbol: string) => {
    const s = sim.feed.stats24h(symbol);
    if (channel === "markPrice") {
      return { e: "markPriceUpdate", E: now, s: symbol, p: String(s.close), i: String(s.close), P: String(s.close), r: "0.00010000", T: 0 };
    }
    const mini = { E: now, s: symbol, c: String(s.close), o: String(s.open), h: String(s.high), l: String(s.low), v: String(s.volume), q: String(s.quoteVolume) };
    if (channel === "miniTicker") return { e: "24hrMiniTicker", ...mini };
    const change = s.close - s.open;
    return {
      e: "24hrTicker", ...mini, p: String(change), P: ((change / s.open) * 100).toFixed(3), w: String(s.close), Q: "0.001",
      O: s.openTime, C: now, F: 1, L: 2, n: 1,
    };
  };
  return who === "!" ? symbols.map(one) : one(symbols[0]!);
}
