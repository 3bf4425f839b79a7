// Admin API views: the simulator's state and its complete order log.
import type { Simulator } from "../engine/simulator";

export function stateJson(sim: Simulator, speed: number) {
  const book = sim.engine.book;
  return {
    time: sim.clock.now(),
    speed,
    prices: Object.fromEntries(sim.symbols().map((s) => [s, sim.feed.price(s)])),
    walletBalance: book.walletBalance,
    positions: book.all().map((p) => ({
      symbol: p.symbol,
      positionSide: p.positionSide,
      side: p.amt > 0 ? "long" : "short",
      size: Math.abs(p.amt),
      entryPrice: p.entryPrice,
      leverage: p.leverage,
      unrealizedPnl: book.unrealizedPnl(p, sim.feed.price(p.symbol)),
      openedAt: p.openedAt,
    })),
    dualSidePosition: sim.engine.isDualSide(),
    openOrders: sim.engine.openOrders().length,
    openAlgoOrders: sim.engine.openAlgos().length,
  };
}

export function orderLogJson(sim: Simulator, clientOrderId: string | null) {
  const log = sim.engine.log;
  const orders = log.accepted
    .map((e) =>
      e.kind === "order"
        ? { kind: "order" as const, id: e.order.orderId, clientOrderId: e.order.clientOrderId, symbol: e.order.symbol, side: e.order.side, type: e.order.type, origType: e.order.origType, quantity: e.order.origQty, status: e.order.status, avgPrice: e.order.avgPrice, reduceOnly: e.order.reduceOnly, closePosition: e.order.closePosition, source: e.order.source, time: e.order.time }
        : { kind: "algo" as const, id: e.algo.algoId, clientOrderId: e.algo.clientAlgoId, symbol: e.algo.symbol, side: e.algo.side, type: e.algo.orderType, origType: e.algo.orderType, quantity: e.algo.quantity, status: e.algo.algoStatus, triggerPrice: e.algo.triggerPrice, executedQty: e.algo.executedQty, rejectReason: e.algo.rejectReason, reduceOnly: e.algo.reduceOnly, closePosition: e.algo.closePosition, source: e.algo.source, time: e.algo.createTime },
    )
    .filter((o) => clientOrderId === null || o.clientOrderId === clientOrderId);
  const rejections = log.rejected.filter((r) => clientOrderId === null || r.clientOrderId === clientOrderId);
  return { orders, rejections };
}
