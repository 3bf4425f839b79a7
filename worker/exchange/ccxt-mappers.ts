// ccxt unified structures (validated with zod) → the port's types.
import type { PositionSnapshot } from "../../src/core/market/types";
import { isAlgoStatus } from "../../src/core/watchdog/stop-lifecycle";
import { ccxtOrderSchema, ccxtPositionSchema, type CcxtOrder } from "./ccxt-payloads";
import { algoOrderStatus, exchangeOrderTypeOf, type ExchangeOrder, type ExchangeOrderStatus, type ExchangeOrderType } from "../../src/core/market/exchange-order";

/** Binance's own order type: REST (type / orderType) or user stream (o). ccxt reduces them to "market". */
function binanceType(info: Record<string, unknown>): ExchangeOrderType {
  const raw = [info.orderType, info.type, info.ot, info.o].find((v) => typeof v === "string") as string | undefined;
  return exchangeOrderTypeOf(raw);
}

function status(s: string | null | undefined): ExchangeOrderStatus {
  return s === "open" || s === "closed" || s === "canceled" || s === "expired" || s === "rejected" ? s : "unknown";
}

function positionSideOf(v: unknown): "BOTH" | "LONG" | "SHORT" | null {
  return v === "BOTH" || v === "LONG" || v === "SHORT" ? v : null;
}

/** A decimal sent as a string (Binance) or number; null when absent or not a finite number. */
function decimal(v: unknown): number | null {
  if (typeof v !== "string" && typeof v !== "number") return null;
  if (typeof v === "string" && v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function toExchangeOrder(raw: unknown, idToSymbol: (unified: string) => string): ExchangeOrder {
  const o: CcxtOrder = ccxtOrderSchema.parse(raw);
  const info = o.info;
  const conditional = "algoId" in info || "aid" in info || info.algoType === "CONDITIONAL";
  const closePosition = info.closePosition === true || info.cp === true;
  const rawStatus = typeof info.algoStatus === "string" ? info.algoStatus : typeof info.X === "string" && conditional ? info.X : null;
  const algoStatus = conditional && isAlgoStatus(rawStatus) ? rawStatus : null;
  // What the order placed at the trigger executed: REST executedQty, user stream aq.
  const executedQty = conditional ? decimal(info.executedQty ?? info.aq) : null;
  const executedPrice = conditional ? decimal(info.avgPrice ?? info.actualPrice ?? info.ap) : null;
  const side = o.side ?? (info.side === "BUY" || info.S === "BUY" ? "buy" : "sell");
  const positionSide = positionSideOf(info.positionSide ?? info.ps);
  // Hedge mode has no reduceOnly flag: a SELL on LONG or a BUY on SHORT can only reduce that side.
  const closesItsSide = (positionSide === "LONG" && side === "sell") || (positionSide === "SHORT" && side === "buy");
  return {
    id: o.id ?? "",
    clientOrderId: o.clientOrderId ?? null,
    symbol: idToSymbol(o.symbol),
    side,
    positionSide,
    type: binanceType(info),
    conditional,
    status: algoStatus ? algoOrderStatus(algoStatus, executedQty) : status(o.status),
    algoStatus,
    triggeringSince: null,
    quantity: o.amount ?? null,
    filled: executedQty ?? o.filled ?? 0,
    averagePrice: executedPrice !== null && executedPrice > 0 ? executedPrice : (o.average ?? null),
    triggerPrice: o.triggerPrice ?? null,
    reduceOnly: o.reduceOnly === true || closePosition || closesItsSide,
    closePosition,
    timestamp: o.timestamp ?? null,
  };
}

/** A ccxt position → PositionSnapshot; null for a flat entry. */
export function toPositionSnapshot(raw: unknown, idToSymbol: (unified: string) => string): PositionSnapshot | null {
  const p = ccxtPositionSchema.parse(raw);
  const size = Math.abs(p.contracts ?? 0) * (p.contractSize ?? 1);
  if (size === 0) return null;
  if (!p.side || p.entryPrice == null || p.markPrice == null) {
    throw new Error(`position ${p.symbol}: the exchange left out side, entry or mark price`);
  }
  // positionRisk v3 has no leverage field; notional / initial margin gives it.
  const leverage = p.leverage ?? (p.initialMargin && p.notional ? Math.round(Math.abs(p.notional) / p.initialMargin) : 1);
  const updated = Number(p.info.updateTime);
  return {
    symbol: idToSymbol(p.symbol),
    side: p.side,
    size,
    entryPrice: p.entryPrice,
    markPrice: p.markPrice,
    leverage,
    liquidationPrice: p.liquidationPrice && p.liquidationPrice > 0 ? p.liquidationPrice : null,
    unrealizedPnl: p.unrealizedPnl ?? (p.markPrice - p.entryPrice) * size * (p.side === "long" ? 1 : -1),
    openedAt: Number.isFinite(updated) && updated > 0 ? updated : null,
  };
}
