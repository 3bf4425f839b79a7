// Carries out one operator action through the gateway (the usual fence: the decision is re-checked
// on the committed toggle state and the leader term before anything is sent).
//   close_now: a reduce-only MARKET close of the position's size as the exchange reports it now,
//     its fill looked up, the position re-read, then its leftover exit orders cancelled.
//   hand_back (LIVE): mark the position handed back (the executor stops managing it), let any
//     executor send already checked run out, place legacy's stop, CONFIRM it rests on the
//     exchange, and only then cancel Exit Brain's orders: the position always has a resting stop.
//     If legacy's stop cannot be confirmed, the hand-back is undone and Exit Brain keeps it.
//   hand_back outside LIVE: Exit Brain manages nothing then; the mark alone is recorded, so Exit
//     Brain leaves the position to legacy if LIVE comes.
import type pg from "pg";
import { closingSide, type ExitOrderRequest } from "../../src/core/gateway/exit-order-request";
import { OPERATOR_MODULE } from "../../src/core/gateway/modules";
import { defaultPositionMonitorParams, positionMonitorOrders } from "../../src/core/legacy";
import type { PositionSnapshot } from "../../src/core/market/types";
import type { ActionStep } from "../../src/core/positions/position-action";
import type { OperationalState } from "../../src/core/toggles";
import type { Logger } from "../../src/server/logger";
import type { ExchangeOrder, ExchangePort } from "../exchange/exchange-port";
import type { CancelRequest, CancelResult, DecidedUnder, GatewayResult } from "../gateway/exit-order-gateway";
import { toGatewayRequest } from "../legacy/legacy-module";
import { addStep, executorOrderIds, recordHandback, removeHandback, type ClaimedAction } from "./action-store";
import type { HandedBackPositions } from "./handed-back";

export interface CarryOutDeps {
  pool: pg.Pool;
  port: Pick<ExchangePort, "fetchPositions" | "fetchOpenOrders" | "fetchOrderByClientId">;
  gateway: { submit(req: ExitOrderRequest, under: DecidedUnder): Promise<GatewayResult>; cancel(c: CancelRequest): Promise<CancelResult>; readonly sendDeadlineMs: number };
  toggles: { view(): { state: OperationalState; version: number | null; confirmed: boolean } };
  leaderEpoch: () => number | null;
  handedBack: HandedBackPositions;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export type CarryOutResult = { ok: true } | { ok: false; error: string };

const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? "?" : String(Number(n.toPrecision(10))));

export async function carryOut(d: CarryOutDeps, a: ClaimedAction): Promise<CarryOutResult> {
  const step = async (s: Omit<ActionStep, "at">): Promise<void> => {
    d.log[s.ok ? "info" : "warn"](`[EXIT_ACTION] #${a.id} ${a.kind} ${a.symbol} ${a.positionSide}: ${s.step}: ${s.detail}`);
    await addStep(d.pool, a.id, s);
  };
  const position = (await d.port.fetchPositions([a.symbol])).find((p) => p.symbol === a.symbol && p.side === a.positionSide) ?? null;
  if (!position) {
    await step({ step: "read position", ok: true, detail: "no open position on the exchange: nothing to do" });
    return a.kind === "close_now" ? { ok: true } : { ok: false, error: "no open position on the exchange to hand back" };
  }
  await step({ step: "read position", ok: true, detail: `size ${fmt(position.size)} at entry ${fmt(position.entryPrice)}, mark ${fmt(position.markPrice)}` });
  return a.kind === "close_now" ? closeNow(d, a, position, step) : handBack(d, a, position, step);
}

type Step = (s: Omit<ActionStep, "at">) => Promise<void>;

function under(d: CarryOutDeps): DecidedUnder {
  const v = d.toggles.view();
  return { state: v.state, toggleVersion: v.version, leaderEpoch: d.leaderEpoch() };
}

/** The exit orders resting for this position (reduce-only on its closing side). */
async function exitOrdersOf(d: CarryOutDeps, symbol: string, side: "long" | "short"): Promise<ExchangeOrder[]> {
  const closing = closingSide(side);
  return (await d.port.fetchOpenOrders(symbol)).filter((o) => o.symbol === symbol && o.side === closing && (o.reduceOnly || o.closePosition));
}

async function closeNow(d: CarryOutDeps, a: ClaimedAction, p: PositionSnapshot, step: Step): Promise<CarryOutResult> {
  const req: ExitOrderRequest = {
    module: OPERATOR_MODULE, kind: "close", symbol: a.symbol, positionSide: a.positionSide, side: closingSide(a.positionSide),
    orderType: "MARKET", quantity: p.size, positionSize: p.size, stopPrice: null, reduceOnly: true, decisionId: `${OPERATOR_MODULE}:close_now:${a.id}`,
  };
  const r = await d.gateway.submit(req, under(d));
  if (r.outcome !== "placed") {
    await step({ step: "market close", ok: false, detail: `${r.outcome}: ${r.error ?? r.decision.reason}` });
    return { ok: false, error: `the gateway did not send the close (${r.outcome}): ${r.error ?? r.decision.reason}` };
  }
  const fill = await d.port.fetchOrderByClientId(a.symbol, r.clientOrderId, false).catch(() => null);
  await step({ step: "market close", ok: true, detail: `reduce-only MARKET ${req.side} ${fmt(p.size)} placed${fill?.averagePrice ? `, filled ${fmt(fill.filled)} at ${fmt(fill.averagePrice)}` : ""} (order ${r.clientOrderId})` });
  const left = (await d.port.fetchPositions([a.symbol])).find((x) => x.symbol === a.symbol && x.side === a.positionSide);
  if (left) {
    await step({ step: "position closed", ok: false, detail: `still open: size ${fmt(left.size)} left; its stops stay in place` });
    return { ok: false, error: `the close filled only in part: size ${fmt(left.size)} is still open, with its stops; ask again or close it on the exchange` };
  }
  await step({ step: "position closed", ok: true, detail: "the exchange reports no position any more" });
  // Its stops and take-profits would now protect nothing; cancel them (a refusal leaves them, and
  // the next leader's reconciliation cancels orphans).
  for (const o of await exitOrdersOf(d, a.symbol, a.positionSide)) {
    const c = await d.gateway.cancel({ module: OPERATOR_MODULE, ref: { symbol: o.symbol, conditional: o.conditional, id: o.id }, leaderEpoch: d.leaderEpoch(), reason: `position closed by an operator (close now #${a.id})` });
    await step({ step: "cancel leftover order", ok: c.outcome === "cancelled" || c.outcome === "gone", detail: `${o.type} ${fmt(o.triggerPrice)}: ${c.outcome}${c.error ? ` (${c.error})` : ""}` });
  }
  return { ok: true };
}

async function handBack(d: CarryOutDeps, a: ClaimedAction, p: PositionSnapshot, step: Step): Promise<CarryOutResult> {
  const view = d.toggles.view();
  await recordHandback(d.pool, a);
  d.handedBack.add(a.symbol, a.positionSide);
  if (view.state !== "EXIT_BRAIN_V3_LIVE" || !view.confirmed) {
    await step({ step: "hand back", ok: true, detail: `recorded; the state is ${view.confirmed ? view.state : "unconfirmed"}, so the legacy modules already own exits and Exit Brain will leave this position to them if LIVE comes` });
    return { ok: true };
  }
  await step({ step: "hand back", ok: true, detail: "recorded: the executor no longer manages this position" });
  // An executor order checked before the mark may still land until its send deadline.
  await (d.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(d.gateway.sendDeadlineMs + 100);

  const undo = async (why: string): Promise<CarryOutResult> => {
    await removeHandback(d.pool, a.symbol, a.positionSide);
    d.handedBack.remove(a.symbol, a.positionSide);
    await step({ step: "undo hand back", ok: false, detail: `${why}; Exit Brain keeps managing the position and its orders stay` });
    return { ok: false, error: `${why}. Nothing was cancelled: Exit Brain keeps managing the position.` };
  };

  const sl = positionMonitorOrders(p, defaultPositionMonitorParams).find((o) => o.kind === "sl");
  if (!sl) return undo("the legacy module has no stop for this position");
  // Its own decision id: the legacy cycle may already have tried (and been blocked on) the same
  // stop in LIVE under the legacy one, and the gateway never sends a decision twice.
  const legacyReq = toGatewayRequest("position_monitor", p, sl, view.version);
  const req: ExitOrderRequest = { ...legacyReq, decisionId: `${legacyReq.decisionId}:handback:${a.id}`, handedBack: true };
  const placed = await d.gateway.submit(req, under(d));
  if (placed.outcome !== "placed") return undo(`legacy's stop at ${fmt(sl.price)} was not placed (${placed.outcome}: ${placed.error ?? placed.decision.reason})`);
  await step({ step: "place legacy stop", ok: true, detail: `position_monitor STOP_MARKET ${req.side} ${fmt(req.quantity)} at ${fmt(sl.price)} placed (order ${placed.clientOrderId})` });

  // Confirm on the exchange before touching anything of Exit Brain's.
  const seen = await d.port.fetchOrderByClientId(a.symbol, placed.clientOrderId, true).catch(() => null);
  if (!seen || seen.status !== "open") return undo(`legacy's stop ${placed.clientOrderId} is not resting on the exchange (${seen ? seen.status : "not found"})`);
  await step({ step: "confirm legacy stop", ok: true, detail: `resting on the exchange (order ${seen.id})` });

  const resting = await exitOrdersOf(d, a.symbol, a.positionSide);
  const mine = await executorOrderIds(d.pool, resting.map((o) => o.clientOrderId ?? "").filter((x) => x !== ""));
  const toCancel = resting.filter((o) => o.clientOrderId !== null && mine.has(o.clientOrderId));
  let failed = 0;
  for (const o of toCancel) {
    const c = await d.gateway.cancel({
      module: OPERATOR_MODULE, ref: { symbol: o.symbol, conditional: o.conditional, id: o.id }, leaderEpoch: d.leaderEpoch(),
      reason: `handed back to legacy (action #${a.id}); legacy's stop rests at ${fmt(sl.price)}`,
    });
    const ok = c.outcome === "cancelled" || c.outcome === "gone";
    if (!ok) failed++;
    await step({ step: "cancel Exit Brain order", ok, detail: `${o.type} ${fmt(o.triggerPrice)}: ${c.outcome}${c.error ? ` (${c.error})` : ""}` });
  }
  if (toCancel.length === 0) await step({ step: "cancel Exit Brain order", ok: true, detail: "Exit Brain had no order resting for this position" });
  if (failed > 0) return { ok: false, error: `handed back, legacy's stop rests, but ${failed} of Exit Brain's orders could not be cancelled; they stay on the exchange (cancel them there or ask again)` };
  return { ok: true };
}
