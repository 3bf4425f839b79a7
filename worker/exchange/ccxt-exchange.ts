// ExchangePort over ccxt pro binanceusdm: the same code path for the simulator, Binance demo
// trading and mainnet. Every call's failure is classified (classify-error.ts); every payload is
// validated (ccxt-payloads.ts); every exit order is checked before sending (exit-order-rules.ts)
// and sent once, shaped for the account's position mode (position-mode.ts). Client order ids,
// look-ups before a resend and retries are the gateway's (worker/gateway/exit-order-gateway.ts).
import type { ExitOrderRequest, PositionMode } from "../../src/core/gateway/exit-order-request";
import type { Candle, PositionSnapshot } from "../../src/core/market/types";
import { retryAfterMs, type BinanceUsdm, type ExchangeMode } from "./ccxt-client";
import { ccxtBalanceSchema, ccxtMarketSchema, ccxtOhlcvSchema, ccxtPositionModeSchema, ccxtTickerSchema } from "./ccxt-payloads";
import { toExchangeOrder, toPositionSnapshot } from "./ccxt-mappers";
import { classifyError, ExchangePortError, ExitOrderRefusedError } from "./classify-error";
import type { Balance, ExchangeOrder, ExchangePort, MarketInfo, OrderRef, PriceTick } from "./exchange-port";
import { prepareExitOrder } from "./exit-order-rules";
import { modeOfPositionSide, PositionModeWatch } from "./position-mode";
import { TriggeringSince } from "./triggering-since";
import { CLOCK_RESYNC_INTERVAL_MS, ClockSync } from "./clock-sync";

export interface CcxtExchangeOptions {
  /** told when the account's position mode is seen to differ from the one detected at connect (an alert) */
  onPositionModeChange?: (message: string) => void;
  /** re-read the account's position mode this often, ms (weight 30 a read); default 60 s, null = never */
  positionModeCheckMs?: number | null;
  /** the worker's clock for ExchangeOrder.triggeringSince (tests shift it) */
  now?: () => number;
  /**
   * re-measure the venue's clock offset this often, and after every -1021 (clock-sync.ts);
   * default 5 min where the client adjusts for the time difference (Binance), off (null) for the simulator
   */
  clockResyncMs?: number | null;
}

export class CcxtExchange implements ExchangePort {
  private markets: Map<string, MarketInfo> | null = null;
  /** the last market load failed: the next one must ask ccxt to reload (see marketMap) */
  private marketsLoadFailed = false;
  private readonly byUnified = new Map<string, string>();
  /** watchPrices: per symbols array, the cached ticker object and price last returned per unified symbol */
  private readonly deliveredTo = new WeakMap<string[], { unified: string[]; seen: Map<string, { raw: unknown; tick: PriceTick }> }>();
  private readonly secrets: string[];
  /** the position mode detected at connect (fetchPositionMode) and what has been seen since */
  private modeWatch: PositionModeWatch | null = null;
  private modeTimer: NodeJS.Timeout | null = null;
  private readonly modeOpts: Pick<CcxtExchangeOptions, "onPositionModeChange" | "positionModeCheckMs">;
  /** first sighting of each firing conditional order (the unprotected-position rule's clock) */
  private readonly triggering: TriggeringSince;
  /** null: the clock offset is never re-measured (simulator) */
  readonly clockSync: ClockSync | null;

  /**
   * `ex` serves reads (positions, open orders, tickers, candles, streams) and may be throttled;
   * `orders` sends, cancels and looks up orders and never is (see ccxt-client.ts). One client
   * may serve both.
   */
  constructor(
    private readonly ex: BinanceUsdm,
    readonly mode: ExchangeMode,
    opts: CcxtExchangeOptions = {},
    private readonly orders: BinanceUsdm = ex,
  ) {
    this.secrets = [ex.apiKey, ex.secret].filter((s): s is string => typeof s === "string" && s.length > 0);
    this.modeOpts = { onPositionModeChange: opts.onPositionModeChange, positionModeCheckMs: opts.positionModeCheckMs };
    this.triggering = new TriggeringSince(opts.now);
    const resyncMs = opts.clockResyncMs !== undefined ? opts.clockResyncMs : ex.options["adjustForTimeDifference"] === true ? CLOCK_RESYNC_INTERVAL_MS : null;
    this.clockSync = resyncMs === null ? null : new ClockSync(ex === orders ? [ex] : [ex, orders]);
    if (resyncMs !== null) this.clockSync?.start(resyncMs);
  }

  async loadMarkets(): Promise<MarketInfo[]> {
    return [...(await this.marketMap()).values()];
  }

  async fetchPositions(symbols?: string[]): Promise<PositionSnapshot[]> {
    return this.call(`fetchPositions`, async () => {
      await this.marketMap(); // unified → exchange ids
      const unified = symbols ? await Promise.all(symbols.map((s) => this.unified(s))) : undefined;
      const raw = await this.ex.fetchPositions(unified);
      this.observeMode(raw, "fetchPositions");
      return raw.map((p) => toPositionSnapshot(p, this.idOf)).filter((p): p is PositionSnapshot => p !== null);
    });
  }

  async fetchOpenOrders(symbol?: string): Promise<ExchangeOrder[]> {
    return this.call(`fetchOpenOrders ${symbol ?? "all"}`, async () => {
      await this.marketMap();
      const u = symbol ? await this.unified(symbol) : undefined;
      const [plain, conditional] = await Promise.all([
        this.ex.fetchOpenOrders(u),
        this.ex.fetchOpenOrders(u, undefined, undefined, { trigger: true }),
      ]);
      return this.triggering.stamp([...plain, ...conditional].map((o) => toExchangeOrder(o, this.idOf)), symbol === undefined);
    });
  }

  /**
   * Sends an exit order once, under the client order id the gateway derived from its decision.
   * Refusals (not reduce-only, bad quantity or price) come before any network call.
   */
  async placeExitOrder(request: ExitOrderRequest, clientOrderId: string): Promise<ExchangeOrder> {
    const action = `placeExitOrder ${request.orderType} ${request.symbol} (${clientOrderId})`;
    if ((request as { reduceOnly?: unknown }).reduceOnly !== true) {
      throw new ExitOrderRefusedError(`${action}: refused, exit orders must be reduce-only (reduceOnly: true); nothing was sent`);
    }
    const market = await this.market(request.symbol); // cached after the first loadMarkets: no round trip
    const mode = this.modeWatch?.connected ?? (await this.detectPositionMode());
    const precision = {
      amountToPrecision: (u: string, a: number) => String(this.ex.amountToPrecision(u, a)),
      priceToPrecision: (u: string, p: number) => String(this.ex.priceToPrecision(u, p)),
    };
    const call = prepareExitOrder(request, market, precision, clientOrderId, mode);
    try {
      const raw = await this.orders.createOrder(call.unified, "market", call.side, call.amount, undefined, call.params);
      return toExchangeOrder(raw, this.idOf);
    } catch (err) {
      const e = this.classify(err, action, this.orders);
      // -4061 (position side does not match the account's setting) or -1106 (reduceOnly sent in
      // hedge mode): the order was shaped for another position mode. Has the account switched?
      if (e.code === -4061 || e.code === -1106) void this.checkPositionMode(`an order refused with ${e.code}`).catch(() => {});
      throw e;
    }
  }

  /** GET /fapi/v1/positionSide/dual. The first call fixes the mode orders are shaped for; later ones watch it. */
  async fetchPositionMode(): Promise<PositionMode> {
    if (!this.modeWatch) return this.detectPositionMode();
    return this.checkPositionMode("GET /fapi/v1/positionSide/dual");
  }

  positionMode(): { connected: PositionMode; refusal: string | null } {
    return { connected: this.modeWatch?.connected ?? "one-way", refusal: this.modeWatch?.refusal() ?? null };
  }

  private async readPositionMode(): Promise<PositionMode> {
    return this.call("fetchPositionMode", async () => {
      const r = ccxtPositionModeSchema.parse(await this.orders.fetchPositionMode());
      return r.hedged ? "hedge" : "one-way";
    }, this.orders);
  }

  private async detectPositionMode(): Promise<PositionMode> {
    const mode = await this.readPositionMode();
    if (this.modeWatch) return this.modeWatch.connected; // a concurrent first call won
    this.modeWatch = new PositionModeWatch(mode, this.modeOpts.onPositionModeChange);
    const every = this.modeOpts.positionModeCheckMs === undefined ? 60_000 : this.modeOpts.positionModeCheckMs;
    if (every !== null) {
      this.modeTimer = setInterval(() => void this.checkPositionMode("the periodic position mode check").catch(() => {}), every);
      this.modeTimer.unref();
    }
    return mode;
  }

  private async checkPositionMode(via: string): Promise<PositionMode> {
    const mode = await this.readPositionMode();
    this.modeWatch?.observe(mode, via);
    return mode;
  }

  /** Positions name their side: BOTH in one-way mode, LONG/SHORT in hedge mode (free evidence every refresh). */
  private observeMode(raw: readonly unknown[], via: string): void {
    if (!this.modeWatch) return;
    for (const p of raw) {
      const info = (p as { info?: { positionSide?: unknown } } | null)?.info;
      const seen = modeOfPositionSide(info?.positionSide);
      if (seen) {
        this.modeWatch.observe(seen, via);
        return;
      }
    }
  }

  async cancelOrder(ref: OrderRef): Promise<void> {
    await this.call(`cancelOrder ${ref.symbol} ${ref.id ?? ref.clientOrderId}`, async () => {
      if (!ref.id && !ref.clientOrderId) throw new ExitOrderRefusedError("cancelOrder: give id or clientOrderId");
      const params: Record<string, string | boolean> = ref.conditional ? { trigger: true } : {};
      if (!ref.id && ref.clientOrderId) params.clientOrderId = ref.clientOrderId;
      await this.orders.cancelOrder(ref.id ?? "", await this.unified(ref.symbol), params);
    }, this.orders);
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string, conditional: boolean): Promise<ExchangeOrder | null> {
    return this.call(`fetchOrderByClientId ${symbol} ${clientOrderId}`, async () => {
      const params: Record<string, string | boolean> = { clientOrderId };
      if (conditional) params.trigger = true;
      try {
        const found = toExchangeOrder(await this.orders.fetchOrder("", await this.unified(symbol), params), this.idOf);
        return this.triggering.stamp([found], false)[0]!;
      } catch (err) {
        if (this.classify(err, "fetchOrder", this.orders).kind === "order_not_found") return null;
        throw err;
      }
    }, this.orders);
  }

  async fetchTicker(symbol: string): Promise<PriceTick> {
    return this.tickerVia(this.ex, symbol);
  }

  private async tickerVia(client: BinanceUsdm, symbol: string): Promise<PriceTick> {
    return this.call(`fetchTicker ${symbol}`, async () => {
      const t = ccxtTickerSchema.parse(await client.fetchTicker(await this.unified(symbol)));
      return { symbol, price: t.last, timestamp: t.timestamp ?? Date.now() };
    }, client);
  }

  async fetchCandles(symbol: string, timeframe: string, limit: number): Promise<Candle[]> {
    return this.call(`fetchCandles ${symbol} ${timeframe}`, async () => {
      const rows = ccxtOhlcvSchema.parse(await this.ex.fetchOHLCV(await this.unified(symbol), timeframe, undefined, limit));
      return rows.map(([openTime, open, high, low, close, volume]) => ({ openTime, open, high, low, close, volume }));
    });
  }

  /**
   * Resolves with every watched symbol whose price changed since this caller's previous call.
   *
   * ccxt pro's watchTickers(symbols) subscribes one stream per symbol and resolves with the ONE
   * ticker whose message arrived first (a race over per-symbol futures); the other tickers of the
   * same burst (Binance and the simulator push several symbols back to back) only land in ccxt's
   * cache (`ex.tickers`). Returning the race winner alone lost every other symbol's update: with
   * the simulator pushing BTCUSDT first on every tick, no other symbol ever got a price. So: wait
   * for the race, then read the cache for all watched symbols and return those that changed.
   * "Changed since the previous call" is tracked per symbols array (the PriceStream passes the
   * same array every time and never changes it), so two consumers never steal each other's updates.
   */
  async watchPrices(symbols: string[]): Promise<PriceTick[]> {
    return this.call(`watchPrices`, async () => {
      let state = this.deliveredTo.get(symbols);
      if (!state) {
        state = { unified: await Promise.all(symbols.map((s) => this.unified(s))), seen: new Map() };
        this.deliveredTo.set(symbols, state);
      }
      const { unified, seen } = state;
      for (;;) {
        await this.ex.watchTickers(unified);
        const cache = this.ex.tickers as Record<string, unknown>;
        const out: PriceTick[] = [];
        for (const u of unified) {
          const raw = cache[u];
          const prev = seen.get(u);
          if (raw === undefined || raw === prev?.raw) continue; // ccxt stores a new object per message
          const t = ccxtTickerSchema.parse(raw);
          const tick: PriceTick = { symbol: this.idOf(t.symbol), price: t.last, timestamp: t.timestamp ?? Date.now() };
          seen.set(u, { raw, tick });
          // a re-push of the same price at the same time is not an update
          if (prev && prev.tick.price === tick.price && prev.tick.timestamp === tick.timestamp) continue;
          out.push(tick);
        }
        if (out.length > 0) return out;
      }
    });
  }

  async watchOrderUpdates(): Promise<ExchangeOrder[]> {
    return this.call(`watchOrderUpdates`, async () => {
      await this.marketMap();
      return this.triggering.stamp((await this.ex.watchOrders()).map((o) => toExchangeOrder(o, this.idOf)), false);
    });
  }

  async fetchBalance(): Promise<Balance> {
    return this.call(`fetchBalance`, async () => {
      const b = ccxtBalanceSchema.parse(await this.ex.fetchBalance());
      return { asset: "USDT", free: b.USDT?.free ?? 0, used: b.USDT?.used ?? 0, total: b.USDT?.total ?? 0 };
    });
  }

  async close(): Promise<void> {
    this.clockSync?.stop();
    if (this.modeTimer) clearInterval(this.modeTimer);
    await this.ex.close();
    if (this.orders !== this.ex) await this.orders.close();
  }

  private readonly idOf = (unified: string): string => this.byUnified.get(unified) ?? unified;

  private async marketMap(): Promise<Map<string, MarketInfo>> {
    if (this.markets) return this.markets;
    return this.call("loadMarkets", async () => {
      // ccxt keeps a failed load's promise and returns it to every later loadMarkets() unless asked
      // to reload: after one timed-out exchangeInfo read the port would never load markets again.
      const reload = this.marketsLoadFailed;
      let raw: Awaited<ReturnType<typeof this.ex.loadMarkets>>;
      try {
        raw = await this.ex.loadMarkets(reload);
      } catch (err) {
        this.marketsLoadFailed = true;
        throw err;
      }
      this.marketsLoadFailed = false;
      const map = new Map<string, MarketInfo>();
      for (const m of Object.values(raw)) {
        const market = ccxtMarketSchema.parse(m);
        if (market.linear !== true || market.active === false) continue;
        const info = (m as { info?: { filters?: { filterType: string; notional?: string }[] } }).info;
        const minNotional = Number(info?.filters?.find((f) => f.filterType === "MIN_NOTIONAL")?.notional ?? market.limits.cost?.min ?? 0);
        map.set(market.id, {
          symbol: market.id,
          unified: market.symbol,
          tickSize: market.precision.price ?? 0,
          stepSize: market.precision.amount ?? 0,
          minQty: market.limits.amount?.min ?? market.precision.amount ?? 0,
          minNotional,
        });
        this.byUnified.set(market.symbol, market.id);
      }
      if (this.orders !== this.ex) {
        // The order client must not load markets itself on its first order (a heavy call, and
        // a delay on the order path): it shares the read client's, and its clock offset.
        this.orders.setMarketsFromExchange(this.ex);
        this.orders.options["timeDifference"] = this.ex.options["timeDifference"];
      }
      this.markets = map;
      return map;
    });
  }

  private async market(symbol: string): Promise<MarketInfo> {
    const m = (await this.marketMap()).get(symbol);
    if (!m) throw new ExchangePortError("bad_request", false, `unknown symbol ${symbol}: not a USDⓈ-M perpetual on this exchange (${this.mode})`);
    return m;
  }

  private async unified(symbol: string): Promise<string> {
    return (await this.market(symbol)).unified;
  }

  private classify(err: unknown, action: string, client: BinanceUsdm = this.ex): ExchangePortError {
    const e = classifyError(err, { action, secrets: this.secrets, retryAfterMs: retryAfterMs(client) });
    // -1021 (InvalidNonce): the clock offset is stale; re-measure it now, for the next attempt.
    if (e.kind === "clock") void this.clockSync?.resync();
    return e;
  }

  private async call<T>(action: string, fn: () => Promise<T>, client: BinanceUsdm = this.ex): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.classify(err, action, client);
    }
  }
}
