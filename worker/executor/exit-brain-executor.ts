// The Exit Brain executor: follows the toggle watcher live (SHADOW <-> LIVE <-> LEGACY take
// effect on the next evaluation, no restart; LEGACY stops the loop), evaluates every open
// position every interval and on each price update. SHADOW logs and records decisions against a
// virtual brain state; LIVE carries them out through the gateway. Errors are caught per
// position, logged and counted: one bad position never stops the others and the loop never dies
// silently. This file composes the parts: following the toggles (follow-toggles.ts), when
// evaluations run (evaluation-schedule.ts), input checks (check-inputs.ts), the candle cache
// (market-cache.ts), SHADOW (shadow-evaluation.ts) and LIVE (live-evaluation.ts).
import type { Decision } from "../../src/core/exit-brain";
import { RetryAfterRejection } from "../../src/core/orders/retry-after-rejection";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { ExecutorMode } from "../../src/core/decisions";
import type { ExecutorInfo } from "../../src/core/status/status-report";
import { executorModeOf } from "../../src/core/toggles";
import type { Logger } from "../../src/server/logger";
import type { ExitOrderGateway } from "../gateway/exit-order-gateway";
import type { CandleSource } from "../market/candle-source";
import type { AccountSnapshot, ExchangeSnapshot } from "../account/exchange-snapshot";
import { withMarkPrice } from "../account/position-source";
import type { PriceStream } from "../market/price-stream";
import { handedBackPositions } from "../position-actions/handed-back";
import type { ToggleView, ToggleWatcher } from "../toggles/toggle-watcher";
import { checkPosition } from "./check-inputs";
import type { DecisionRecorder } from "./decision-recorder";
import type { EvaluationContext, Times, Trigger } from "./evaluation-context";
import { EvaluationSchedule } from "./evaluation-schedule";
import type { ExecutorConfig } from "./executor-config";
import { exitOrdersOf } from "./exit-orders-of";
import { followToggles } from "./follow-toggles";
import { evaluateLive, type LiveContext } from "./live-evaluation";
import { MarketCache } from "./market-cache";
import { evaluateShadow } from "./shadow-evaluation";
import { newTrackedPosition, observeSighting, type TrackedPosition } from "./tracked-position";

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

/** What the worker publishes in its heartbeat (info.executor): the status report's part and counters. */
export interface ExecutorHeartbeat extends ExecutorInfo {
  errors: number;
  evaluations: number;
  decisions: number;
  orders_placed: number;
  open_positions: number;
}

function trackKey(symbol: string, side: PositionSnapshot["side"]): string {
  return `${symbol}|${side}`;
}

export class ExitBrainExecutor {
  private mode: ExecutorMode | null = null;
  /** by trackKey(symbol, side): in hedge mode a symbol may hold a LONG and a SHORT at once */
  private readonly tracked = new Map<string, TrackedPosition>();
  /** orders the venue rejected, re-sent under a new decision id after a back-off */
  private readonly retries: RetryAfterRejection;
  private readonly markets: MarketCache;
  private readonly schedule: EvaluationSchedule;
  private lastDecisionAt: number | null = null;
  private readonly counts = { errors: 0, evaluations: 0, decisions: 0, ordersPlaced: 0 };
  private readonly now: () => number;
  private readonly shadow: EvaluationContext;
  private readonly live: LiveContext;
  private readonly onChange = (view: ToggleView) => this.follow(view);

  constructor(private readonly d: ExecutorDeps) {
    this.now = d.now ?? Date.now;
    this.retries = new RetryAfterRejection(d.config.retryBackoff);
    this.markets = new MarketCache(d.candles, d.config);
    this.schedule = new EvaluationSchedule({
      prices: d.prices, config: d.config,
      cycle: () => this.cycle(),
      evaluate: (symbol, trigger) => this.evaluateGuarded(symbol, trigger),
      watches: (symbol) => [...this.tracked.values()].some((t) => t.symbol === symbol),
    });
    this.shadow = { config: d.config, log: d.log, record: (...a) => this.record(...a) };
    this.live = {
      ...this.shadow, gateway: d.gateway, toggles: d.toggles, canAct: () => this.canAct(), leaderEpoch: d.leaderEpoch, retries: this.retries, now: this.now,
      counts: this.counts,
    };
  }

  /** Follows the toggles from now on; starts the loop unless the state is LEGACY. */
  start(): void {
    this.d.toggles.on("change", this.onChange);
    this.follow(this.d.toggles.view());
  }

  async stop(): Promise<void> {
    this.d.toggles.off("change", this.onChange);
    this.stopLoop();
    await this.schedule.idle();
    await this.d.recorder.stop();
  }

  info(): ExecutorHeartbeat {
    const running = this.schedule.running;
    return {
      running,
      effective_mode: running && this.mode ? this.mode : "OFF",
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
    return this.schedule.cycleNow();
  }

  /** When the position closed, on the exchange's clock (the last tick), for the comparison. */
  exchangeTime(symbol: string, fallback: number): number {
    return this.d.prices?.latest(symbol)?.timestamp ?? fallback;
  }

  private follow(view: ToggleView): void {
    const step = followToggles(view, this.schedule.running, this.mode, this.d.log, this.d.config.intervalS);
    if (step.loop === "stop") this.stopLoop();
    this.mode = step.mode;
    if (step.loop === "start") this.schedule.start();
  }

  private stopLoop(): void {
    this.schedule.stop();
    // Positions seen before a LEGACY period are not shadowed continuously: start afresh.
    for (const t of this.tracked.values()) this.d.recorder.forget(t.key);
    this.tracked.clear();
    this.retries.clear();
  }

  private canAct(): boolean {
    try {
      return this.d.canAct?.() ?? true;
    } catch {
      return false;
    }
  }

  private async cycle(): Promise<void> {
    if (!this.schedule.running) return;
    try {
      if (!this.canAct()) return;
      // The worker's account cycle refreshes the shared snapshot; refresh here only when it
      // has clearly stalled (each refresh costs exchange rate-limit weight).
      let snap = this.d.snapshot.latest();
      if (!snap || this.now() - snap.at > Math.max(2 * this.d.config.intervalS * 1000, 5000)) snap = (await this.d.snapshot.refresh()) ?? snap;
      if (!snap) return;
      this.noticeCloses(snap);
      await Promise.all([...new Set(snap.positions.map((p) => p.symbol))].map((symbol) => this.schedule.evaluateSymbol(symbol, "interval")));
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
    if (!this.schedule.running || mode === "OFF" || !this.canAct()) return;
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
    const market = await this.markets.marketFor(symbol);
    this.counts.evaluations++;
    if (mode === "SHADOW") evaluateShadow(this.shadow, t, position, market, trigger, view.version, times);
    else await evaluateLive(this.live, t, position, market, trigger, view, snap, times);
    t.lastMode = mode;
  }

  private record(t: TrackedPosition, position: PositionSnapshot, decision: Decision, mode: ExecutorMode, version: number | null, at: number): void {
    this.d.recorder.record({ positionKey: t.key, position, decision, mode, toggleVersion: version, at });
    this.counts.decisions++;
    this.lastDecisionAt = at;
  }
}
