// The Exit Brain executor: follows the toggle watcher live (SHADOW <-> LIVE <-> LEGACY take
// effect on the next evaluation, no restart; LEGACY stops the loop), evaluates every open
// position every interval and on each price update (leading edge: at once on the first tick, then
// at most once per EXIT_BRAIN_PRICE_DEBOUNCE_MS window per symbol, always ending on the latest price). SHADOW logs and
// records decisions against a virtual brain state; LIVE carries them out through the gateway.
// Errors are caught per position, logged and counted: one bad position never stops the others
// and the loop never dies silently.
import {
  applyDecision, createBrainState, evaluatePosition, marketSnapshotFromCandles, observePrice, type BrainState, type Decision, type MarketSnapshot,
} from "../../src/core/exit-brain";
import type { Candle, PositionSnapshot } from "../../src/core/market/types";
import { pnlPct } from "../../src/core/market/types";
import {
  EXECUTOR_FORCED_SHADOW_LINE, EXECUTOR_LIVE_BANNER, initializedLine, liveExecutingLine, modeChangedLine, shadowDecisionLine, startingLoopLine,
  STOPPED_FOR_LEGACY_LINE, type ExecutorMode,
} from "../../src/core/shadow";
import { executorModeOf, FORCED_SHADOW_WARNING } from "../../src/core/toggles";
import type { Logger } from "../../src/server/logger";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import { handedBackPositions } from "../position-actions/handed-back";
import type { CandleSource } from "../market/candle-source";
import type { AccountSnapshot, ExchangeSnapshot } from "../market/exchange-snapshot";
import type { PriceStream } from "../market/price-stream";
import type { ToggleView, ToggleWatcher } from "../toggles/toggle-watcher";
import type { DecisionRecorder } from "./decision-recorder";
import type { ExecutorConfig } from "./executor-config";
import { carryOutPlan } from "./carry-out-plan";
import { exitOrdersOf } from "./exit-orders-of";
import { planLiveActions } from "./plan-live-actions";
import { RetryAfterRejection } from "../../src/core/gateway/retry-after-rejection";
import { LeadingThrottle } from "./tick-throttle";
import { newTrackedPosition, observeSighting, type TrackedPosition } from "./tracked-position";
import { withMarkPrice } from "../market/position-source";

export interface ExecutorDeps {
  snapshot: Pick<ExchangeSnapshot, "latest" | "refresh">;
  prices?: Pick<PriceStream, "latest" | "onTicks"> | null;
  candles: Pick<CandleSource, "recent">;
  /** every order action, cancels included */
  gateway: Pick<ExitOrderGateway, "submit" | "cancel">;
  toggles: Pick<ToggleWatcher, "view" | "on" | "off">;
  recorder: DecisionRecorder;
  log: Logger;
  config: ExecutorConfig;
  /** HA: act only while this says yes (leadership); default always */
  canAct?: () => boolean;
  leaderEpoch?: () => number | null;
  /** a tracked position disappeared while only shadowed (the comparison hook) */
  onShadowClose?: (t: TrackedPosition, closedAt: number) => void;
  now?: () => number;
}

/** What the worker publishes in its heartbeat (info.executor) and the status report reads. */
export interface ExecutorInfo {
  running: boolean;
  effective_mode: ExecutorMode | "OFF";
  last_decision_timestamp: string | null;
  errors: number;
  evaluations: number;
  decisions: number;
  orders_placed: number;
  open_positions: number;
}

type Trigger = "interval" | "price";

interface Times {
  /** wall clock: when the decision is recorded */
  wall: number;
  /** exchange clock: what the policy and the replay compare with openedAt and candle times */
  exchange: number;
}

const isNum = (x: number | null): x is number => x !== null && Number.isFinite(x);

function checkPosition(p: PositionSnapshot): void {
  if (!(p.size > 0) || !(p.entryPrice > 0) || !(p.markPrice > 0) || !Number.isFinite(p.size + p.entryPrice + p.markPrice)) {
    throw new Error(`position ${p.symbol} has broken data (size=${p.size}, entry=${p.entryPrice}, mark=${p.markPrice})`);
  }
}

function trackKey(symbol: string, side: PositionSnapshot["side"]): string {
  return `${symbol}|${side}`;
}

function checkCandles(symbol: string, candles: readonly Candle[]): void {
  for (const c of candles) {
    if (![c.open, c.high, c.low, c.close].every((x) => Number.isFinite(x) && x > 0) || c.high < c.low) {
      throw new Error(`candles for ${symbol} are broken at ${c.openTime} (o=${c.open} h=${c.high} l=${c.low} c=${c.close})`);
    }
  }
}

export class ExitBrainExecutor {
  private running = false;
  private mode: ExecutorMode | null = null;
  private timer: NodeJS.Timeout | null = null;
  private cycleRun: Promise<void> = Promise.resolve();
  /** by trackKey(symbol, side): in hedge mode a symbol may hold a LONG and a SHORT at once */
  private readonly tracked = new Map<string, TrackedPosition>();
  /** orders the venue rejected, re-sent under a new decision id after a back-off */
  private readonly retries: RetryAfterRejection;
  private readonly markets = new Map<string, { candles: readonly Candle[]; market: MarketSnapshot }>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly ticks = new LeadingThrottle((symbol) => this.onThrottledTick(symbol), () => this.d.config.debounceMs);
  /** symbols with a price-triggered evaluation queued and not started yet (it will read the latest price) */
  private readonly priceQueued = new Set<string>();
  private unsubscribeTicks: (() => void) | null = null;
  private lastDecisionAt: number | null = null;
  private readonly counts = { errors: 0, evaluations: 0, decisions: 0, ordersPlaced: 0 };
  private readonly now: () => number;
  private readonly onChange = (view: ToggleView) => this.follow(view);

  constructor(private readonly d: ExecutorDeps) {
    this.now = d.now ?? Date.now;
    this.retries = new RetryAfterRejection(d.config.retryBackoff);
  }

  /** Follows the toggles from now on; starts the loop unless the state is LEGACY. */
  start(): void {
    this.d.toggles.on("change", this.onChange);
    this.follow(this.d.toggles.view());
  }

  async stop(): Promise<void> {
    this.d.toggles.off("change", this.onChange);
    this.stopLoop();
    await this.cycleRun;
    await Promise.all(this.chains.values());
    await this.d.recorder.stop();
  }

  info(): ExecutorInfo {
    return {
      running: this.running,
      effective_mode: this.running && this.mode ? this.mode : "OFF",
      last_decision_timestamp: this.lastDecisionAt === null ? null : new Date(this.lastDecisionAt).toISOString(),
      errors: this.counts.errors,
      evaluations: this.counts.evaluations,
      decisions: this.counts.decisions,
      orders_placed: this.counts.ordersPlaced,
      open_positions: this.tracked.size,
    };
  }

  /** Runs one interval cycle now (tests and the first cycle after a start). */
  cycleNow(): Promise<void> {
    this.cycleRun = this.cycleRun.then(() => this.cycle());
    return this.cycleRun;
  }

  private follow(view: ToggleView): void {
    const target = executorModeOf(view.state);
    const log = this.d.log;
    if (target === "OFF") {
      if (this.running) {
        this.stopLoop();
        log.info(STOPPED_FOR_LEGACY_LINE);
      }
      this.mode = null;
      return;
    }
    const forced = view.resolution?.warnings.includes(FORCED_SHADOW_WARNING) ?? false;
    if (!this.running) {
      log.info(initializedLine(target, view.confirmed ? (view.resolution?.effective ?? null) : null));
      if (forced) log.warn(EXECUTOR_FORCED_SHADOW_LINE);
      if (target === "LIVE") log.warn(EXECUTOR_LIVE_BANNER);
      log.info(startingLoopLine(this.d.config.intervalS, target));
      this.mode = target;
      this.startLoop();
      return;
    }
    if (target !== this.mode) {
      log.info(modeChangedLine(this.mode ?? "SHADOW", target, view.version));
      if (target === "LIVE") log.warn(EXECUTOR_LIVE_BANNER);
      else if (forced) log.warn(EXECUTOR_FORCED_SHADOW_LINE);
    }
    this.mode = target;
  }

  private startLoop(): void {
    this.running = true;
    this.unsubscribeTicks = this.d.prices?.onTicks((ticks) => {
      for (const t of ticks) this.onPrice(t.symbol);
    }) ?? null;
    const loop = () => {
      if (!this.running) return;
      void this.cycleNow().finally(() => {
        if (this.running) this.timer = setTimeout(loop, this.d.config.intervalS * 1000);
      });
    };
    loop();
  }

  private stopLoop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribeTicks?.();
    this.unsubscribeTicks = null;
    this.ticks.clear();
    this.priceQueued.clear();
    // Positions seen before a LEGACY period are not shadowed continuously: start afresh.
    for (const t of this.tracked.values()) this.d.recorder.forget(t.key);
    this.tracked.clear();
    this.retries.clear();
  }

  private onPrice(symbol: string): void {
    if (!this.running || ![...this.tracked.values()].some((t) => t.symbol === symbol)) return;
    this.ticks.hit(symbol);
  }

  private onThrottledTick(symbol: string): void {
    if (!this.running || this.priceQueued.has(symbol)) return; // the queued one will read this price
    this.priceQueued.add(symbol);
    void this.evaluateSymbol(symbol, "price", () => this.priceQueued.delete(symbol));
  }

  private canAct(): boolean {
    try {
      return this.d.canAct?.() ?? true;
    } catch {
      return false;
    }
  }

  private async cycle(): Promise<void> {
    if (!this.running) return;
    try {
      if (!this.canAct()) return;
      // The worker's account cycle refreshes the shared snapshot; refresh here only when it
      // has clearly stalled (each refresh costs exchange rate-limit weight).
      let snap = this.d.snapshot.latest();
      if (!snap || this.now() - snap.at > Math.max(2 * this.d.config.intervalS * 1000, 5000)) snap = (await this.d.snapshot.refresh()) ?? snap;
      if (!snap) return;
      this.noticeCloses(snap);
      await Promise.all([...new Set(snap.positions.map((p) => p.symbol))].map((symbol) => this.evaluateSymbol(symbol, "interval")));
    } catch (err) {
      // Never silent, never fatal: the next cycle runs as scheduled.
      this.counts.errors++;
      this.d.log.error({ err: err instanceof Error ? err.message : String(err) }, "[EXIT_BRAIN_EXECUTOR] monitoring cycle failed; continuing");
    }
  }

  private noticeCloses(snap: AccountSnapshot): void {
    for (const [key, t] of this.tracked) {
      const symbol = t.symbol;
      if (snap.positions.some((x) => x.symbol === symbol && x.side === t.side)) continue;
      this.tracked.delete(key);
      this.d.recorder.forget(t.key);
      this.retries.forgetGroup(t.key);
      if (!t.everLive && t.lastMode === "SHADOW") this.d.onShadowClose?.(t, this.exchangeTime(symbol, snap.at));
    }
  }

  /** Evaluations of one symbol run one at a time, in order. */
  private evaluateSymbol(symbol: string, trigger: Trigger, onStart?: () => void): Promise<void> {
    const prev = this.chains.get(symbol);
    const run = () => {
      onStart?.();
      return this.evaluateGuarded(symbol, trigger);
    };
    // Nothing queued for the symbol: start now, without waiting for a microtask turn.
    const next = prev ? prev.then(run) : run();
    this.chains.set(symbol, next);
    void next.finally(() => {
      if (this.chains.get(symbol) === next) this.chains.delete(symbol);
    });
    return next;
  }

  private async evaluateGuarded(symbol: string, trigger: Trigger): Promise<void> {
    try {
      await this.evaluate(symbol, trigger);
    } catch (err) {
      this.counts.errors++;
      this.d.log.error({ err: err instanceof Error ? err.message : String(err) }, `[EXIT_BRAIN_EXECUTOR] evaluation of ${symbol} failed; other positions continue`);
    }
  }

  private async evaluate(symbol: string, trigger: Trigger): Promise<void> {
    const view = this.d.toggles.view();
    const mode = executorModeOf(view.state);
    if (!this.running || mode === "OFF" || !this.canAct()) return;
    const snap = this.d.snapshot.latest();
    if (!snap) return;
    // One position per symbol in one-way mode; a LONG and a SHORT may both be open in hedge mode.
    for (const seen of snap.positions.filter((p) => p.symbol === symbol)) await this.evaluatePosition(seen, snap, view, mode, trigger);
  }

  private async evaluatePosition(seen: PositionSnapshot, snap: AccountSnapshot, view: ToggleView, mode: ExecutorMode, trigger: Trigger): Promise<void> {
    const symbol = seen.symbol;
    // An operator handed this position back to legacy (issue 16): in LIVE it is legacy's to protect.
    if (mode === "LIVE" && handedBackPositions.has(symbol, seen.side)) return;
    // The stream's price is the newest mark (the position poll may be seconds old): a tick is
    // evaluated on its own price at once, never after a REST refresh.
    const tick = this.d.prices?.latest(symbol);
    const position: PositionSnapshot = tick ? withMarkPrice(seen, tick.price) : seen;
    checkPosition(position);
    // Exchange time (the tick's) for the policy and the replay: openedAt and candles are on
    // the exchange's clock, which is not the wall clock on the simulator.
    const times: Times = { wall: this.now(), exchange: tick?.timestamp ?? this.now() };
    const key = trackKey(symbol, position.side);
    let t = this.tracked.get(key);
    if (!t) {
      t = newTrackedPosition(position, times.exchange);
      this.tracked.set(key, t);
    }
    const resting = exitOrdersOf(snap.openOrders, symbol, position.side, position.markPrice, times.wall);
    observeSighting(t, position, resting, times.exchange);
    const market = await this.marketFor(symbol);
    this.counts.evaluations++;
    if (mode === "SHADOW") this.evaluateShadow(t, position, market, trigger, view.version, times);
    else await this.evaluateLive(t, position, market, trigger, view, snap, times);
    t.lastMode = mode;
  }

  /** When the position closed, on the exchange's clock (the last tick), for the comparison. */
  exchangeTime(symbol: string, fallback: number): number {
    return this.d.prices?.latest(symbol)?.timestamp ?? fallback;
  }

  private async marketFor(symbol: string): Promise<MarketSnapshot> {
    const { timeframe, params } = this.d.config;
    const candles = await this.d.candles.recent(symbol, timeframe, params.atrPeriod * 3 + 2);
    const hit = this.markets.get(symbol);
    if (hit && hit.candles === candles) return hit.market; // the source returns the same array until a new candle
    checkCandles(symbol, candles);
    const market = marketSnapshotFromCandles(candles, params.atrPeriod);
    this.markets.set(symbol, { candles, market });
    return market;
  }

  private record(t: TrackedPosition, position: PositionSnapshot, decision: Decision, mode: ExecutorMode, version: number | null, at: number): void {
    this.d.recorder.record({ positionKey: t.key, position, decision, mode, toggleVersion: version, at });
    this.counts.decisions++;
    this.lastDecisionAt = at;
  }

  private evaluateShadow(t: TrackedPosition, position: PositionSnapshot, market: MarketSnapshot, trigger: Trigger, version: number | null, times: Times): void {
    const now = times.exchange;
    // Shadow state: its own decisions from a fresh start (so the log and the replay show the
    // whole policy), or, right after LIVE, the real state it leaves behind.
    let state: BrainState = (t.lastMode === "LIVE" ? t.live : t.virtual) ?? createBrainState(position, now);
    state = observePrice(state, position.markPrice, position.markPrice);
    state = this.virtualFills(t, state, position);
    const subject = { symbol: position.symbol, side: position.side, size: position.size, pnlPct: pnlPct(position.side, position.entryPrice, position.markPrice) };
    for (let k = 0; k < this.d.config.maxActionsPerEvaluation; k++) {
      const d = evaluatePosition(position, market, state, this.d.config.params, now);
      // Holds go out once per interval, not on every price tick.
      if (d.type !== "hold" || trigger === "interval") {
        this.d.log.info(shadowDecisionLine(subject, d));
        this.record(t, position, d, "SHADOW", version, times.wall);
      }
      if (d.type === "hold") break;
      t.decisions.push({ at: now, markPrice: position.markPrice, decision: d });
      const next = applyDecision(state, d);
      if (next === state) break;
      state = next;
    }
    t.virtual = state;
  }

  /** The virtual stop or take-profit the price crossed closes the shadow position (it would have). */
  private virtualFills(t: TrackedPosition, state: BrainState, p: PositionSnapshot): BrainState {
    if (state.closed) return state;
    const sign = p.side === "long" ? 1 : -1;
    const stopHit = isNum(state.stopPrice) && sign * (p.markPrice - state.stopPrice) <= 0;
    const tpHit = isNum(state.takeProfitPrice) && sign * (p.markPrice - state.takeProfitPrice) >= 0;
    if (!stopHit && !tpHit) return state;
    const what = stopHit ? `stop $${state.stopPrice!.toFixed(4)}` : `take-profit $${state.takeProfitPrice!.toFixed(4)}`;
    this.d.log.info(`[EXIT_BRAIN_SHADOW] ${p.symbol} ${p.side} virtual ${what} reached at mark $${p.markPrice.toFixed(4)}: the shadow position is closed`);
    return { ...state, closed: true };
  }

  private async evaluateLive(
    t: TrackedPosition, position: PositionSnapshot, market: MarketSnapshot, trigger: Trigger, view: ToggleView, snap: AccountSnapshot, times: Times,
  ): Promise<void> {
    const now = times.exchange;
    const resting = exitOrdersOf(snap.openOrders, position.symbol, position.side, position.markPrice, times.wall);
    let state = t.lastMode === "LIVE" ? t.live : null;
    if (!state) {
      // Taking over: start from the stop / target already on the exchange, never looser.
      state = createBrainState(position, now, resting.existing);
      const best = t.virtual?.bestPrice;
      if (best !== undefined) state = observePrice(state, best, best);
      t.own = { stops: [], takeProfits: [] };
      t.everLive = true;
      this.d.log.info(
        `[EXIT_BRAIN_LIVE] Taking over ${position.symbol} ${position.side}: existing stop=${resting.existing.stopPrice ?? "none"}, tp=${resting.existing.takeProfitPrice ?? "none"}`,
      );
    } else if (state.stopPrice !== null && resting.protectingStops.length === 0 && snap.at > t.lastActionAt + 1000) {
      // The exchange no longer shows a working stop (cancelled by hand, expired, stuck firing):
      // protect it again.
      this.d.log.warn(`[EXIT_BRAIN_LIVE] ${position.symbol} ${position.side}: no stop on the exchange any more (expected $${state.stopPrice}); placing a new one`);
      state = { ...state, stopPrice: null, slReason: null };
      t.own.stops = [];
    }
    state = observePrice(state, position.markPrice, position.markPrice);
    for (let k = 0; k < this.d.config.maxActionsPerEvaluation; k++) {
      const d = evaluatePosition(position, market, state, this.d.config.params, now);
      if (d.type === "hold") {
        if (trigger === "interval") this.record(t, position, d, "LIVE", view.version, times.wall);
        break;
      }
      // The kill switch may have committed meanwhile: never start an order outside LIVE.
      if (executorModeOf(this.d.toggles.view().state) !== "LIVE" || !this.canAct()) break;
      this.d.log.info(liveExecutingLine(position, d));
      this.record(t, position, d, "LIVE", view.version, times.wall);
      const plan = planLiveActions({ decision: d, position, positionKey: t.key, toggleVersion: view.version, resting, own: t.own });
      const baseId = plan.submit?.decisionId;
      if (plan.submit && baseId) {
        const id = this.retries.decisionIdFor(baseId, this.now());
        if (id === null) break; // rejected before: wait for the back-off before sending it again
        plan.submit = { ...plan.submit, decisionId: id };
      }
      const done = await carryOutPlan(
        { gateway: this.d.gateway, log: this.d.log, under: { state: view.state, toggleVersion: view.version, leaderEpoch: this.d.leaderEpoch?.() ?? null } },
        plan, position,
      );
      this.counts.errors += done.errors;
      if (baseId && done.outcome) this.retries.record(baseId, t.key, done.outcome, this.now());
      if (!done.placed) break;
      this.counts.ordersPlaced++;
      t.lastActionAt = this.now();
      if (plan.submit?.orderType === "STOP_MARKET") t.own.stops = done.placedRef ? [done.placedRef] : [];
      if (plan.submit?.orderType === "TAKE_PROFIT_MARKET") t.own.takeProfits = done.placedRef ? [done.placedRef] : [];
      if (plan.submit?.kind === "close") t.own = { stops: [], takeProfits: [] };
      state = applyDecision(state, d);
      // Size changed: decide again on fresh exchange data rather than on a stale size.
      if (d.type === "partial_close" || d.type === "full_exit_now") break;
    }
    t.live = state;
  }
}
