// The simulated venue: accepts orders, fills market orders at the current price with slippage
// and fees, keeps positions (one-way, or hedge mode with LONG and SHORT per symbol), fires
// conditional orders through Binance's algo lifecycle (NEW → TRIGGERING → TRIGGERED → FINISHED,
// or EXPIRED / REJECTED) when the price path crosses them, and emits Binance-like
// order/account events. Time comes from the injected clock only. Trigger faults (admin API) hold
// a trigger in TRIGGERING, fill its order partly, reject or expire it.
import type { Clock } from "../../src/core/market/types";
import { errors, SimApiError } from "./sim-error";
import { decimalsOf, isMultipleOf, roundToStep, type MarketSpec } from "./market-spec";
import { OrderLog } from "./order-log";
import { PositionBook } from "./position-book";
import { crossesTrigger, reducesPosition, trailingStep, wouldImmediatelyTrigger } from "./trigger-rules";
import { TriggerFaults } from "./trigger-faults";
import type { AlgoOrder, AlgoOrderType, EngineEvent, Fill, NewOrderInput, OrderSide, PlainOrder, PositionSide } from "./order-types";

export interface EngineConfig {
  /** market orders fill this many basis points worse than the current price */
  slippageBps: number;
  takerFeeRate: number;
  makerFeeRate: number;
  startingBalance: number;
  defaultLeverage: number;
  /** MAX_NUM_ALGO_ORDERS: working algo orders per symbol (Binance: 10); published in exchangeInfo */
  maxAlgoOrdersPerSymbol: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  slippageBps: 2,
  takerFeeRate: 0.0004,
  makerFeeRate: 0.0002,
  startingBalance: 10_000,
  defaultLeverage: 10,
  maxAlgoOrdersPerSymbol: 10,
};

const ALGO_TYPES = new Set<string>(["STOP_MARKET", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"]);
/** Conditional types Binance only takes on /fapi/v1/algoOrder since its algo-order migration (-4120 elsewhere). */
export const CONDITIONAL_TYPES = new Set<string>(["STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"]);
/** Algo states in which the order is still working (listed by openAlgoOrders, counted by MAX_NUM_ALGO_ORDERS). */
const WORKING = new Set<AlgoOrder["algoStatus"]>(["NEW", "TRIGGERING", "TRIGGERED"]);
function isKnownType(type: string): type is NewOrderInput["type"] {
  return type === "MARKET" || type === "LIMIT" || ALGO_TYPES.has(type);
}
/** Binance's MAX_NUM_ALGO_ORDERS per symbol (EngineConfig.maxAlgoOrdersPerSymbol, published in exchangeInfo). */
export const MAX_NUM_ALGO_ORDERS = 10;

export class MatchingEngine {
  readonly book: PositionBook;
  readonly log = new OrderLog();
  private readonly orders = new Map<number, PlainOrder>();
  private readonly algos = new Map<number, AlgoOrder>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly config: EngineConfig;
  private readonly lastPrice = new Map<string, number>();
  readonly triggerFaults = new TriggerFaults();

  get maxAlgoOrdersPerSymbol(): number {
    return this.config.maxAlgoOrdersPerSymbol;
  }

  /** hedge mode (dualSidePosition): LONG and SHORT positions per symbol */
  private dualSide = false;
  private nextOrderId = 8_389_765_000;
  private nextAlgoId = 3_000_000;
  private generatedIds = 0;

  constructor(
    private readonly clock: Clock,
    private readonly specs: ReadonlyMap<string, MarketSpec>,
    private readonly priceOf: (symbol: string) => number,
    config: Omit<EngineConfig, "maxAlgoOrdersPerSymbol"> & Partial<Pick<EngineConfig, "maxAlgoOrdersPerSymbol">> = DEFAULT_ENGINE_CONFIG,
  ) {
    this.config = { ...config, maxAlgoOrdersPerSymbol: config.maxAlgoOrdersPerSymbol ?? MAX_NUM_ALGO_ORDERS };
    this.book = new PositionBook(config.startingBalance, config.defaultLeverage);
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  spec(symbol: string): MarketSpec {
    const s = this.specs.get(symbol);
    if (!s) throw errors.badSymbol();
    return s;
  }

  /**
   * Places a plain or conditional order; throws SimApiError (logged) when Binance would refuse it.
   * `endpoint` "order": sent to /fapi/v1/order, which refuses conditional types (-4120).
   */
  submit(input: NewOrderInput | (Omit<NewOrderInput, "type"> & { type: string }), endpoint?: "order"): PlainOrder | AlgoOrder {
    try {
      if (endpoint === "order" && CONDITIONAL_TYPES.has(input.type)) throw errors.conditionalOnOrderEndpoint();
      if (!isKnownType(input.type)) throw errors.badOrderType();
      const known = { ...input, type: input.type };
      return ALGO_TYPES.has(known.type) ? this.submitAlgo(known) : this.submitPlain(known);
    } catch (err) {
      if (err instanceof SimApiError) {
        this.log.reject({
          time: this.clock.now(), source: input.source, symbol: input.symbol, type: input.type,
          clientOrderId: input.clientOrderId ?? null, code: err.code, msg: err.message,
        });
      }
      throw err;
    }
  }

  cancelOrder(symbol: string, ref: { orderId?: number; clientOrderId?: string }): PlainOrder {
    const order = this.findOrder(symbol, ref);
    if (!order || order.status !== "NEW") throw errors.unknownOrder();
    order.status = "CANCELED";
    order.updateTime = this.clock.now();
    this.emit({ kind: "order", order, execType: "CANCELED", fill: null, time: order.updateTime });
    return order;
  }

  isDualSide(): boolean {
    return this.dualSide;
  }

  /** POST /fapi/v1/positionSide/dual: refused while any position or open order exists, as Binance. */
  setDualSide(dual: boolean): void {
    if (dual === this.dualSide) throw errors.noNeedToChangePositionSide();
    if (this.openOrders().length > 0 || this.openAlgos().length > 0) throw errors.positionSideChangeWithOrders();
    if (this.book.all().length > 0) throw errors.positionSideChangeWithPosition();
    this.dualSide = dual;
  }

  /** Held triggers (trigger fault "hold") go on: their orders are placed now, at the current price. */
  releaseHeldTriggers(symbol?: string): AlgoOrder[] {
    const held = [...this.algos.values()].filter((a) => a.algoStatus === "TRIGGERING" && (!symbol || a.symbol === symbol));
    for (const a of held) this.completeTrigger(a, this.priceOf(a.symbol), { hold: false });
    return held;
  }

  cancelAlgo(symbol: string, ref: { algoId?: number; clientAlgoId?: string }): AlgoOrder {
    const algo = this.findAlgo(symbol, ref);
    if (!algo || algo.algoStatus !== "NEW") throw errors.unknownOrder();
    algo.algoStatus = "CANCELED";
    algo.updateTime = this.clock.now();
    this.emit({ kind: "algo", algo, time: algo.updateTime });
    return algo;
  }

  findOrder(symbol: string | undefined, ref: { orderId?: number; clientOrderId?: string }): PlainOrder | undefined {
    for (const o of this.orders.values()) {
      if (symbol !== undefined && o.symbol !== symbol) continue;
      if (ref.orderId !== undefined ? o.orderId === ref.orderId : o.clientOrderId === ref.clientOrderId) return o;
    }
    return undefined;
  }

  findAlgo(symbol: string | undefined, ref: { algoId?: number; clientAlgoId?: string }): AlgoOrder | undefined {
    for (const a of this.algos.values()) {
      if (symbol !== undefined && a.symbol !== symbol) continue;
      if (ref.algoId !== undefined ? a.algoId === ref.algoId : a.clientAlgoId === ref.clientAlgoId) return a;
    }
    return undefined;
  }

  openOrders(symbol?: string): PlainOrder[] {
    return [...this.orders.values()].filter((o) => o.status === "NEW" && (!symbol || o.symbol === symbol));
  }

  /** Working algo orders: NEW, and TRIGGERING/TRIGGERED ones whose order is not finished yet. */
  openAlgos(symbol?: string): AlgoOrder[] {
    return [...this.algos.values()].filter((a) => WORKING.has(a.algoStatus) && (!symbol || a.symbol === symbol));
  }

  setLeverage(symbol: string, leverage: number): void {
    const spec = this.spec(symbol);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > spec.maxLeverage) throw errors.badLeverage();
    this.book.setLeverage(symbol, leverage);
  }

  /**
   * Feeds the price path since the last call (see PriceFeed.pathPrices) and fires what it crosses.
   * `gap`: the price jumped (admin "set price"), so a stop crossed by the jump fills at the new
   * price, not at its trigger.
   */
  onPricePath(symbol: string, path: readonly number[], gap = false): void {
    let prev = gap ? null : (this.lastPrice.get(symbol) ?? null);
    for (const price of path) {
      this.checkLiquidation(symbol, price);
      for (const algo of this.openAlgos(symbol)) if (algo.algoStatus === "NEW") this.checkAlgo(algo, price, prev);
      for (const order of this.openOrders(symbol)) this.checkLimit(order, price);
      prev = price;
    }
    if (prev !== null) this.lastPrice.set(symbol, prev);
  }

  /**
   * The order's position side, checked against the account's mode: one-way takes BOTH only, hedge
   * mode LONG or SHORT and no reduceOnly (-4061, -1106). The simulator's own orders (admin, demo
   * trader) get LONG/SHORT inferred in hedge mode. `closing`: the order can only reduce (reduce-only
   * or closePosition in one-way mode; the closing side of its position side in hedge mode).
   */
  private positionSideOf(input: NewOrderInput): { side: PositionSide; closing: boolean } {
    const reduceOnly = input.reduceOnly === true;
    if (!this.dualSide) {
      if (input.positionSide !== undefined && input.positionSide !== "BOTH") throw errors.positionSideMismatch();
      return { side: "BOTH", closing: reduceOnly || input.closePosition === true };
    }
    if (reduceOnly) throw errors.reduceOnlyInHedgeMode();
    let side = input.positionSide;
    if (side === undefined && input.source !== "api") side = input.side === "BUY" ? "LONG" : "SHORT";
    if (side !== "LONG" && side !== "SHORT") throw errors.positionSideMismatch();
    return { side, closing: (side === "LONG") === (input.side === "SELL") };
  }

  private submitPlain(input: NewOrderInput): PlainOrder {
    const spec = this.spec(input.symbol);
    if (input.closePosition) throw errors.notRequired("closePosition");
    const ps = this.positionSideOf(input);
    const clientOrderId = this.checkClientId(input.clientOrderId, input.source);
    const qty = this.checkQuantity(spec, input.quantity, input.type === "MARKET");
    const amt = this.book.amt(input.symbol, ps.side);
    const reduceOnly = ps.closing;
    if (reduceOnly && !reducesPosition(input.side, amt)) throw errors.reduceOnlyRejected();
    let price = 0;
    if (input.type === "LIMIT") {
      if (input.price === undefined) throw errors.mandatory("price");
      price = this.checkPrice(spec, input.price);
    }
    const ref = input.type === "LIMIT" ? price : this.priceOf(input.symbol);
    if (!reduceOnly) {
      if (qty * ref < spec.minNotional) throw errors.minNotional(spec.minNotional);
      this.checkMargin(input.symbol, input.side, qty, ref, ps.side);
    }
    const now = this.clock.now();
    const order: PlainOrder = {
      orderId: this.nextOrderId++, clientOrderId, symbol: input.symbol, side: input.side, type: input.type as PlainOrder["type"],
      origType: input.type as PlainOrder["type"], status: "NEW", price, avgPrice: 0, origQty: qty, executedQty: 0, cumQuote: 0,
      reduceOnly, closePosition: false, positionSide: ps.side, stopPrice: 0, timeInForce: input.timeInForce ?? "GTC", time: now,
      updateTime: now, realizedPnl: 0, commission: 0, source: input.source,
    };
    this.orders.set(order.orderId, order);
    this.log.addOrder(order);
    this.emit({ kind: "order", order, execType: "NEW", fill: null, time: now });
    if (order.type === "MARKET") this.fillMarket(order);
    else this.checkLimit(order, this.priceOf(order.symbol));
    return order;
  }

  private submitAlgo(input: NewOrderInput): AlgoOrder {
    const spec = this.spec(input.symbol);
    const type = input.type as AlgoOrderType;
    const closePosition = input.closePosition === true;
    if (closePosition && input.reduceOnly) throw errors.notRequired("reduceOnly");
    if (closePosition && input.quantity !== undefined) throw errors.notRequired("quantity");
    const ps = this.positionSideOf(input);
    const clientAlgoId = this.checkClientId(input.clientOrderId, input.source);
    // A conditional market order becomes a market order: MARKET_LOT_SIZE applies.
    const quantity = closePosition ? 0 : this.checkQuantity(spec, input.quantity, true);
    const current = this.priceOf(input.symbol);
    const amt = this.book.amt(input.symbol, ps.side);
    const reducing = ps.closing;
    if (reducing && !reducesPosition(input.side, amt)) throw errors.reduceOnlyRejected();
    if (this.openAlgos(input.symbol).length >= this.config.maxAlgoOrdersPerSymbol) throw errors.tooManyAlgoOrders();
    let triggerPrice = 0;
    let activationPrice: number | null = null;
    let callbackRate: number | null = null;
    if (type === "TRAILING_STOP_MARKET") {
      callbackRate = input.callbackRate ?? NaN;
      if (!(callbackRate >= 0.1 && callbackRate <= 10)) throw errors.badCallbackRate();
      if (input.activationPrice !== undefined) activationPrice = this.checkPrice(spec, input.activationPrice);
    } else {
      if (input.triggerPrice === undefined) throw errors.mandatory("triggerPrice");
      triggerPrice = this.checkPrice(spec, input.triggerPrice);
      if (wouldImmediatelyTrigger(type, input.side, triggerPrice, current)) throw errors.immediateTrigger();
    }
    if (!reducing && quantity * current < spec.minNotional) throw errors.minNotional(spec.minNotional);
    const now = this.clock.now();
    const algo: AlgoOrder = {
      algoId: this.nextAlgoId++, clientAlgoId, symbol: input.symbol, side: input.side, orderType: type, quantity, triggerPrice,
      activationPrice, callbackRate, reduceOnly: input.reduceOnly === true, closePosition, positionSide: ps.side, algoStatus: "NEW",
      createTime: now, updateTime: now, triggerTime: 0, actualOrderId: null, executedQty: 0, avgPrice: 0, rejectReason: "",
      trailingActive: false, trailingExtreme: null, source: input.source,
    };
    this.algos.set(algo.algoId, algo);
    this.log.addAlgo(algo);
    this.emit({ kind: "algo", algo, time: now });
    return algo;
  }

  private checkAlgo(algo: AlgoOrder, price: number, prev: number | null): void {
    if (algo.algoStatus !== "NEW") return;
    const fires = algo.orderType === "TRAILING_STOP_MARKET"
      ? trailingStep(algo, price)
      : crossesTrigger(algo.orderType, algo.side, algo.triggerPrice, price);
    if (!fires) return;
    const now = this.clock.now();
    algo.triggerTime = now;
    algo.updateTime = now;
    algo.algoStatus = "TRIGGERING";
    this.emit({ kind: "algo", algo, time: now });
    // A continuous path crossed the trigger between two samples: the stop fires at its trigger.
    const continuous = prev !== null && algo.orderType !== "TRAILING_STOP_MARKET" &&
      !crossesTrigger(algo.orderType, algo.side, algo.triggerPrice, prev);
    this.completeTrigger(algo, continuous ? algo.triggerPrice : price, { hold: true });
  }

  /**
   * TRIGGERING → the rest of the lifecycle: held there by a "hold" fault, REJECTED or EXPIRED
   * (by a fault, or a reduce-only order whose position is gone), otherwise TRIGGERED with its
   * market order placed, then FINISHED with what that order filled (all, part, or nothing).
   */
  private completeTrigger(algo: AlgoOrder, at: number, opts: { hold: boolean }): void {
    const fault = this.triggerFaults.take(algo.symbol, opts.hold);
    if (fault?.kind === "hold") return;
    const now = this.clock.now();
    const end = (status: "REJECTED" | "EXPIRED", reason: string) => {
      algo.algoStatus = status;
      algo.rejectReason = reason;
      algo.updateTime = now;
      this.emit({ kind: "algo", algo, time: now });
    };
    if (fault?.kind === "reject") return end("REJECTED", fault.reason ?? "Margin is insufficient.");
    if (fault?.kind === "expire") return end("EXPIRED", fault.reason ?? "Order expired by the system.");
    const amt = this.book.amt(algo.symbol, algo.positionSide);
    const reducing = algo.closePosition || algo.reduceOnly || algo.positionSide !== "BOTH";
    if (reducing && !reducesPosition(algo.side, amt)) return end("EXPIRED", "Reduce Only reject");
    const qty = algo.closePosition ? Math.abs(amt) : algo.quantity;
    const order = this.placeMarket(algo.symbol, algo.side, qty, reducing, "trigger", algo.orderType, `algo-${algo.algoId}`, algo.positionSide);
    algo.actualOrderId = order.orderId;
    algo.algoStatus = "TRIGGERED";
    algo.updateTime = now;
    this.emit({ kind: "algo", algo, time: now });
    this.fillMarket(order, at, fault?.kind === "partial-fill" ? fault.fillRatio : 1);
    algo.executedQty = order.executedQty;
    algo.avgPrice = order.avgPrice;
    algo.algoStatus = "FINISHED";
    algo.updateTime = this.clock.now();
    this.emit({ kind: "algo", algo, time: algo.updateTime });
  }

  private checkLimit(order: PlainOrder, price: number): void {
    if (order.status !== "NEW" || order.type !== "LIMIT") return;
    const crosses = order.side === "BUY" ? price <= order.price : price >= order.price;
    if (!crosses) return;
    if (order.reduceOnly && !reducesPosition(order.side, this.book.amt(order.symbol, order.positionSide))) {
      this.expire(order);
      return;
    }
    this.fill(order, order.price, this.config.makerFeeRate);
  }

  /** A market order placed by the simulator itself (trigger, demo trader, admin, liquidation). */
  internalMarket(
    symbol: string, side: OrderSide, qty: number, reduceOnly: boolean, source: PlainOrder["source"],
    origType: PlainOrder["origType"] = "MARKET", clientOrderId?: string, atPrice?: number, positionSide: PositionSide = "BOTH",
  ): PlainOrder {
    const order = this.placeMarket(symbol, side, qty, reduceOnly, source, origType, clientOrderId, positionSide);
    this.fillMarket(order, atPrice);
    return order;
  }

  private placeMarket(
    symbol: string, side: OrderSide, qty: number, reduceOnly: boolean, source: PlainOrder["source"],
    origType: PlainOrder["origType"], clientOrderId: string | undefined, positionSide: PositionSide,
  ): PlainOrder {
    const now = this.clock.now();
    const order: PlainOrder = {
      orderId: this.nextOrderId++, clientOrderId: clientOrderId ?? this.generatedClientId(source), symbol, side, type: "MARKET", origType,
      status: "NEW", price: 0, avgPrice: 0, origQty: qty, executedQty: 0, cumQuote: 0, reduceOnly, closePosition: false, positionSide,
      stopPrice: 0, timeInForce: "GTC", time: now, updateTime: now, realizedPnl: 0, commission: 0, source,
    };
    this.orders.set(order.orderId, order);
    this.log.addOrder(order);
    this.emit({ kind: "order", order, execType: "NEW", fill: null, time: now });
    return order;
  }

  /**
   * Fills a market order at `atPrice` (default: the current price) ± slippage. `fillRatio` < 1
   * (trigger fault "partial-fill") fills that share, rounded down to the step, and expires the
   * rest, as Binance does with a market order the book could not fill.
   */
  private fillMarket(order: PlainOrder, atPrice?: number, fillRatio = 1): void {
    const spec = this.spec(order.symbol);
    const base = atPrice ?? this.priceOf(order.symbol);
    const slip = (this.config.slippageBps / 10_000) * (order.side === "BUY" ? 1 : -1);
    const price = roundToStep(base * (1 + slip), spec.tickSize);
    if (order.reduceOnly) {
      const amt = this.book.amt(order.symbol, order.positionSide);
      if (!reducesPosition(order.side, amt)) return this.expire(order);
      order.origQty = Math.min(order.origQty, Math.abs(amt));
    }
    const qty = fillRatio >= 1 ? order.origQty : roundToStep(Math.floor((order.origQty * fillRatio) / spec.stepSize + 1e-9) * spec.stepSize, spec.stepSize);
    if (qty > 0) this.fill(order, price, this.config.takerFeeRate, qty);
    if (order.executedQty < order.origQty) this.expire(order);
  }

  private fill(order: PlainOrder, price: number, feeRate: number, qty = order.origQty): void {
    const now = this.clock.now();
    const commission = qty * price * feeRate;
    const delta = order.side === "BUY" ? qty : -qty;
    const result = this.book.apply(order.symbol, delta, price, commission, now, order.positionSide);
    Object.assign(order, {
      status: qty < order.origQty ? "PARTIALLY_FILLED" : "FILLED", avgPrice: price, executedQty: qty, cumQuote: qty * price,
      updateTime: now, realizedPnl: result.realizedPnl, commission,
    } satisfies Partial<PlainOrder>);
    const fill: Fill = { qty, price, commission, realizedPnl: result.realizedPnl };
    this.emit({ kind: "order", order, execType: "TRADE", fill, time: now });
    this.emit({ kind: "account", symbol: order.symbol, reason: "ORDER", time: now });
  }

  private expire(order: PlainOrder): void {
    order.status = "EXPIRED";
    order.updateTime = this.clock.now();
    this.emit({ kind: "order", order, execType: "EXPIRED", fill: null, time: order.updateTime });
  }

  private checkLiquidation(symbol: string, price: number): void {
    for (const p of this.book.ofSymbol(symbol)) {
      const liq = this.book.liquidationPrice(p, this.spec(symbol));
      if (p.amt > 0 ? price > liq : price < liq) continue;
      this.internalMarket(symbol, p.amt > 0 ? "SELL" : "BUY", Math.abs(p.amt), true, "liquidation", "MARKET", `autoclose-${this.clock.now()}`, liq, p.positionSide);
    }
  }

  private checkClientId(id: string | undefined, source: NewOrderInput["source"]): string {
    if (id === undefined) return this.generatedClientId(source);
    if (!/^[.A-Za-z0-9:/_-]{1,36}$/.test(id)) throw new SimApiError(-4015, "Client order id is not valid.");
    if (this.log.hasClientId(id)) throw errors.duplicateClientId();
    return id;
  }

  /** LOT_SIZE (MARKET_LOT_SIZE for market orders) with Binance's futures codes. */
  private checkQuantity(spec: MarketSpec, qty: number | undefined, market = false): number {
    if (qty === undefined) throw errors.mandatory("quantity");
    if (!(qty > 0)) throw errors.quantityNotPositive();
    if (decimalsOf(qty) > spec.quantityPrecision) throw errors.precision();
    if (qty < spec.minQty) throw errors.quantityBelowMin();
    if (qty > (market ? spec.marketMaxQty : spec.maxQty)) throw errors.quantityAboveMax();
    if (!isMultipleOf(qty, spec.stepSize)) throw errors.stepSize();
    return roundToStep(qty, spec.stepSize);
  }

  /** PRICE_FILTER with Binance's futures codes. */
  private checkPrice(spec: MarketSpec, price: number): number {
    if (decimalsOf(price) > spec.pricePrecision) throw errors.precision();
    if (!(price >= spec.minPrice)) throw errors.priceBelowMin();
    if (price > spec.maxPrice) throw errors.priceAboveMax();
    if (!isMultipleOf(price, spec.tickSize)) throw errors.tickSize();
    return roundToStep(price, spec.tickSize);
  }

  private checkMargin(symbol: string, side: OrderSide, qty: number, price: number, positionSide: PositionSide): void {
    const amt = this.book.amt(symbol, positionSide);
    const delta = side === "BUY" ? qty : -qty;
    const growth = Math.max(0, Math.abs(amt + delta) - Math.abs(amt));
    if (growth === 0) return;
    const required = (growth * price) / this.book.leverage(symbol);
    const { available } = this.book.totals(this.priceOf);
    if (required > available) throw errors.marginInsufficient();
  }

  private generatedClientId(prefix: string): string {
    this.generatedIds += 1;
    return `sim-${prefix}-${this.clock.now().toString(36)}-${this.generatedIds}`;
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}
