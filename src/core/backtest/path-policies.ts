// The policies as the path evaluator runs them, as they run live:
// - Exit Brain: evaluated on every path point (a tick), the price observed as the mark only
//   (observePrice(mark, mark), as the executor does), at most `maxActions` decisions per
//   evaluation (the executor's maxActionsPerEvaluation, 4), stopping after a size change.
//   `takeover` = the LIVE takeover path: the legacy module placed its orders at entry and the
//   brain starts from them (createBrainState with the resting stop and nearest take-profit, so
//   its R unit is legacy's stop distance); legacy's take-profits keep resting until the brain
//   replaces them (set_tp) or exits, exactly as the executor leaves them on the exchange.
// - Legacy brackets: the legacy module's own order function (hybridTpslOrders) at entry, at
//   fixed percentages or at ATR multiples converted to percentages at entry (the ATR variant).
import { applyDecision, createBrainState, observePrice, type BrainState } from "../exit-brain/brain-state";
import type { Decision, SlReason } from "../exit-brain/decision";
import { evaluatePosition } from "../exit-brain/evaluate-position";
import type { ExitBrainParams } from "../exit-brain/params";
import { hybridTpslOrders } from "../legacy/hybrid-tpsl-rule";
import type { HybridTpslParams } from "../legacy/legacy-params";
import type { PositionSnapshot } from "../market/types";
import type { AtrSource, PathContext, PathPolicy } from "./path-engine";
import { markPathPosition, marketCloseAt, setPathStop, setPathTargets, type PathTrade } from "./path-trade";
import type { CloseType } from "./types";

/** A legacy bracket: hybrid_tpsl levels in percent, or in ATR multiples (unit "atr"). */
export interface BracketSpec {
  readonly name: string;
  readonly unit: "pct" | "atr";
  /** stop distance: percent of entry, or ATR multiple */
  readonly stop: number;
  /** take-profit rungs: distance (percent or ATR multiple) and fraction of the rest; last = 1 */
  readonly levels: readonly { readonly dist: number; readonly fraction: number }[];
}

export function bracketFromHybrid(name: string, p: HybridTpslParams): BracketSpec {
  return { name, unit: "pct", stop: p.stopLossPct, levels: p.levels.map((l) => ({ dist: l.pct, fraction: l.fraction })) };
}

/** hybrid_tpsl parameters for a bracket at this entry (ATR distances become percentages). */
export function hybridParamsAt(spec: BracketSpec, entryPrice: number, atr: number): HybridTpslParams {
  const k = spec.unit === "pct" ? 1 : Number.isFinite(atr) && atr > 0 ? (atr / entryPrice) * 100 : Number.NaN;
  const toPct = (d: number) => (Number.isFinite(k) ? d * k : d); // no ATR yet: read the multiple as percent
  return { stopLossPct: toPct(spec.stop), levels: spec.levels.map((l) => ({ pct: toPct(l.dist), fraction: l.fraction })) };
}

interface BracketState {
  readonly params: HybridTpslParams;
  placedFor: number;
}

function placeBracket<S>(t: PathTrade<S>, params: HybridTpslParams, filled: number): void {
  const tps: { price: number; fraction: number }[] = [];
  for (const o of hybridTpslOrders(t.position, params, filled)) {
    if (o.kind === "sl") {
      if (Number.isNaN(t.stop)) setPathStop(t, o.price, "STOP_LOSS");
    } else tps.push({ price: o.price, fraction: o.fraction });
  }
  setPathTargets(t, tps);
}

export function bracketPolicy(spec: BracketSpec, atrPeriod = 14): PathPolicy<BracketState> {
  return {
    name: spec.name,
    atrPeriod,
    tickDriven: false,
    init: (pos, ctx) => ({ params: hybridParamsAt(spec, pos.entryPrice, ctx.market.atr), placedFor: 0 }),
    onEntry(t) {
      placeBracket(t, t.state.params, 0);
    },
    onTick(t, ctx) {
      if (t.state.placedFor === t.targetsFilled) return;
      markPathPosition(t, ctx.price);
      placeBracket(t, t.state.params, t.targetsFilled);
      t.state.placedFor = t.targetsFilled;
    },
  };
}

export interface BrainPathOptions {
  /** decisions carried out per evaluation (the executor's maxActionsPerEvaluation) */
  readonly maxActions?: number;
  /** the LIVE takeover path: start from this legacy bracket's orders */
  readonly takeover?: BracketSpec | null;
  readonly name?: string;
  /** "forming" = ATR and last close include the still-open candle (what the executor reads today) */
  readonly atr?: AtrSource;
  /** every decision carried out, with the trade's entry candle and side (for the shadow-replay parity test) */
  readonly onDecision?: (entryBar: number, side: "long" | "short", at: number, markPrice: number, d: Decision) => void;
}

interface BrainPathState {
  brain: BrainState;
  /**
   * Marks already evaluated as "hold" under this very brain state and market snapshot. With
   * state, market and time-limit status fixed, every rule of evaluatePosition is a threshold
   * in the mark (or does not depend on it), so the marks that give "hold" form an interval: a
   * mark inside [holdLo, holdHi] holds too and is not evaluated again. Exact, not a shortcut.
   */
  holdFor: BrainState | null;
  holdMarket: unknown;
  holdLo: number;
  holdHi: number;
}

function stopCloseType(r: SlReason): CloseType {
  return r === "trailing" ? "TRAILING_STOP" : r === "breakeven" ? "BREAKEVEN_STOP" : "STOP_LOSS";
}

function execute(t: PathTrade<BrainPathState>, d: Decision, ctx: PathContext): void {
  switch (d.type) {
    case "move_sl":
      setPathStop(t, d.newSl, stopCloseType(d.slReason));
      return;
    case "set_tp":
      setPathTargets(t, [{ price: d.newTp, fraction: 1 }]);
      return;
    case "partial_close":
      marketCloseAt(t, d.fraction, ctx.price, ctx.slip, ctx.cost, ctx.bar, ctx.time, "TAKE_PROFIT");
      return;
    case "full_exit_now": {
      const type: CloseType = d.exitReason === "time_limit" ? "TIME_LIMIT" : d.exitReason === "trailing_stop" ? "TRAILING_STOP" : "EMERGENCY";
      marketCloseAt(t, 1, ctx.price, ctx.slip, ctx.cost, ctx.bar, ctx.time, type);
      return;
    }
    case "hold":
      return;
  }
}

type DecisionHook = BrainPathOptions["onDecision"];

function evaluate(t: PathTrade<BrainPathState>, ctx: PathContext, params: ExitBrainParams, maxActions: number, hook: DecisionHook): void {
  const s = t.state;
  let st = observePrice(s.brain, ctx.price, ctx.price);
  const cacheable = params.maxHoldMs <= 0 || ctx.time - st.openedAt < params.maxHoldMs;
  if (cacheable && st === s.holdFor && ctx.market === s.holdMarket && ctx.price >= s.holdLo && ctx.price <= s.holdHi) {
    s.brain = st;
    return;
  }
  markPathPosition(t, ctx.price);
  for (let k = 0; k < maxActions && t.closeType === null; k++) {
    const d = evaluatePosition(t.position, ctx.market, st, params, ctx.time);
    if (d.type === "hold") {
      if (!cacheable) break;
      if (st === s.holdFor && ctx.market === s.holdMarket) {
        if (ctx.price < s.holdLo) s.holdLo = ctx.price;
        if (ctx.price > s.holdHi) s.holdHi = ctx.price;
      } else {
        s.holdFor = st;
        s.holdMarket = ctx.market;
        s.holdLo = ctx.price;
        s.holdHi = ctx.price;
      }
      break;
    }
    hook?.(t.entryBar, t.side, ctx.time, ctx.price, d);
    execute(t, d, ctx);
    st = applyDecision(st, d);
    t.position.size = t.remaining;
    if (d.type === "partial_close" || d.type === "full_exit_now") break; // live re-reads the size first
  }
  s.brain = st;
}

export function brainPathPolicy(params: ExitBrainParams, opts: BrainPathOptions = {}): PathPolicy<BrainPathState> {
  const maxActions = opts.maxActions ?? 4;
  const takeover = opts.takeover ?? null;
  return {
    name: opts.name ?? (takeover ? "brain (takeover)" : "brain"),
    atrPeriod: params.atrPeriod,
    tickDriven: true,
    ...(opts.atr ? { atr: opts.atr } : {}),
    init: (pos: PositionSnapshot, ctx) => ({ brain: createBrainState(pos, ctx.time), holdFor: null, holdMarket: null, holdLo: Number.NaN, holdHi: Number.NaN }),
    onEntry(t, ctx) {
      if (takeover) {
        placeBracket(t, hybridParamsAt(takeover, t.entryPrice, ctx.market.atr), 0);
        const nearestTp = t.targets[0]?.price ?? null;
        t.state.brain = createBrainState(t.position, ctx.time, { stopPrice: t.stop, takeProfitPrice: nearestTp });
      }
      evaluate(t, ctx, params, maxActions, opts.onDecision);
    },
    onTick(t, ctx) {
      evaluate(t, ctx, params, maxActions, opts.onDecision);
    },
    holdBand(t, market) {
      const s = t.state;
      if (s.holdFor !== s.brain || s.holdMarket !== market) return null;
      const best = s.brain.bestPrice;
      // inside the hold interval and not beyond the best price (a new best is a new state)
      const lo = t.sign === 1 ? s.holdLo : Math.max(s.holdLo, best);
      const hi = t.sign === 1 ? Math.min(s.holdHi, best) : s.holdHi;
      const until = params.maxHoldMs > 0 ? s.brain.openedAt + params.maxHoldMs : Number.POSITIVE_INFINITY;
      return { lo, hi, until, key: market };
    },
  };
}
