// Everything the position page shows for one position (SYMBOL-side), read from PostgreSQL only:
// the worker's last view of it, its candles with legacy's and Exit Brain's levels over time, its
// decisions, its orders with their life on the exchange, what rests now, P&L (unrealized in money
// and %, realized from filled exit orders), the shadow comparison once closed, and the operator
// actions on it. Bounded: at most 10,000 candles (folded to MAX_BARS bars), the newest page of
// decisions (older pages: position-decisions.ts) and the latest 5,000 levels Exit Brain set.
import { z } from "zod";
import { LEGACY_MODULES } from "../../../core/gateway/modules";
import { defaultPositionMonitorParams, positionMonitorOrders } from "../../../core/legacy";
import { exchangeClock } from "../../../core/positions/exchange-clock";
import { foldCandles, levelAt, pnlPctOf, realizedOf, type LevelPoint } from "../../../core/positions/position-chart";
import { PositionIdSchema } from "../../../core/positions/position-key";
import type { Db } from "../../db/client";
import { listOrderAttempts, OrderAttemptSchema } from "../orders/list-order-attempts";
import { listPositionActions, PositionActionSchema } from "./position-actions";
import { PositionSchema } from "./list-positions";
import { listPositionDecisions, PositionDecisionPageSchema } from "./position-decisions";

export const MAX_CANDLES = 10_000;
export const MAX_BARS = 400;
/** Exit Brain's levels drawn: the latest this many decisions that set a stop or a target. */
export const MAX_LEVEL_DECISIONS = 5_000;
const CHART_TIMEFRAME = "5m";

export const PositionDetailInput = z.object({ id: PositionIdSchema }).strict();

const n = z.number().nullable();
export const PositionDetailSchema = z.object({
  symbol: z.string(),
  positionSide: z.enum(["long", "short"]),
  position: PositionSchema.nullable(),
  positionKey: z.string().nullable(),
  openedAt: z.date().nullable(),
  entryPrice: n,
  handedBack: z.boolean(),
  pnl: z.object({ unrealized: n, unrealizedPct: n, realized: n, realizedFills: z.number(), quote: z.string() }),
  chart: z.object({
    timeframe: z.string(),
    /** "simulator": the candles' clock runs faster than the wall clock; levels were mapped onto it */
    clock: z.enum(["exchange", "simulator"]),
    candles: z.number(),
    bars: z.array(z.object({ t: z.number(), open: z.number(), high: z.number(), low: z.number(), close: z.number(), legacySl: n, legacyTp: n, brainSl: n, brainTp: n })),
    /**
     * "now" on the candles' clock (the last candle's close) with the levels in force: the step
     * lines run on to the right edge, so a level first known in the last bar is still a line.
     */
    edge: z.object({ t: z.number(), legacySl: n, legacyTp: n, brainSl: n, brainTp: n }).nullable(),
    /** "orders": legacy's lines are its recorded orders; "rule": none recorded, its rule for the position is drawn from the opening; "orders-and-rule": a level with no order recorded is drawn from the rule */
    legacyFrom: z.enum(["orders", "rule", "orders-and-rule"]),
  }),
  /** the newest page; older pages from positions.decisions with `older` */
  decisions: PositionDecisionPageSchema,
  decisionCount: z.number(),
  orders: z.array(OrderAttemptSchema),
  comparison: z.object({ legacyReturnPct: z.number(), brainReturnPct: z.number(), legacyExit: z.string(), brainExit: z.string(), closedAt: z.date(), decisions: z.number() }).nullable(),
  latest: z.object({ legacySl: n, legacyTp: n, brainSl: n, brainTp: n }),
  /** what the legacy rule (position_monitor) would place for the position as it is now */
  legacyRule: z.object({ sl: n, tp: n }),
  actions: z.array(PositionActionSchema),
});
export type PositionDetail = z.infer<typeof PositionDetailSchema>;

function legacyRuleOf(p: { size: number; entryPrice: number; markPrice: number; symbol: string } | null, side: "long" | "short"): { sl: number | null; tp: number | null } {
  if (!p) return { sl: null, tp: null };
  const orders = positionMonitorOrders({ symbol: p.symbol, side, size: p.size, entryPrice: p.entryPrice, markPrice: p.markPrice, leverage: 1, liquidationPrice: null, unrealizedPnl: 0, openedAt: null }, defaultPositionMonitorParams);
  return { sl: orders.find((o) => o.kind === "sl")?.price ?? null, tp: orders.find((o) => o.kind === "tp")?.price ?? null };
}

export async function getPositionDetail(db: Db, input: z.infer<typeof PositionDetailInput>): Promise<PositionDetail> {
  const { symbol, positionSide } = input.id;
  const [position, handback, lastDecision] = await Promise.all([
    db.positionSafety.findUnique({ where: { symbol_positionSide: { symbol, positionSide } } }),
    db.positionHandback.findUnique({ where: { symbol_positionSide: { symbol, positionSide } } }),
    db.shadowDecision.findFirst({ where: { symbol, side: positionSide }, orderBy: { at: "desc" }, select: { positionKey: true, entryPrice: true } }),
  ]);
  const open = position && position.size !== 0 ? position : null;
  const positionKey = lastDecision?.positionKey ?? null;
  const first = positionKey ? await db.shadowDecision.findFirst({ where: { positionKey }, orderBy: { at: "asc" }, select: { at: true } }) : null;
  // The position began with its first decision (or, with none, its candles' last day).
  const since = first?.at ?? new Date(Date.now() - 86_400_000);
  const entryPrice = open?.entryPrice ?? lastDecision?.entryPrice ?? null;
  // Candles are on the exchange's clock; decisions and orders on the wall clock. On Binance they
  // agree; the simulator replays history faster than real time, so wall times are mapped onto its
  // clock (pure: src/core/positions/exchange-clock.ts) and the chart says "simulator time".
  const [latest] = await db.$queryRaw<{ t: number | null }[]>`
    SELECT (extract(epoch FROM max(open_time)) * 1000)::float8 AS t FROM market_candle WHERE symbol = ${symbol} AND timeframe = ${CHART_TIMEFRAME}`;
  const clock = exchangeClock({
    openedAtExchange: positionKey ? Number(positionKey.split(":").at(-1)) : null,
    latestExchange: latest?.t == null ? null : latest.t + 300_000,
    firstWall: first?.at.getTime() ?? null,
    nowWall: Date.now(),
  });
  const candleSince = new Date(clock.toExchange(since.getTime()) - 12 * 300_000);

  const [candleRows, decisions, levelDecisions, decisionCount, levelRows, fills, orders, comparison, actions] = await Promise.all([
    db.$queryRaw<{ t: number; open: number; high: number; low: number; close: number }[]>`
      SELECT * FROM (
        SELECT (extract(epoch FROM open_time) * 1000)::float8 AS t, open, high, low, close FROM market_candle
         WHERE symbol = ${symbol} AND timeframe = ${CHART_TIMEFRAME} AND open_time >= ${candleSince}
         ORDER BY open_time DESC LIMIT ${MAX_CANDLES}) c ORDER BY t`,
    positionKey ? listPositionDecisions(db, { positionKey }) : Promise.resolve({ rows: [], older: null }),
    positionKey
      ? db.shadowDecision.findMany({
          where: { positionKey, OR: [{ newSl: { not: null } }, { newTp: { not: null } }] }, orderBy: { at: "desc" }, take: MAX_LEVEL_DECISIONS,
          select: { at: true, newSl: true, newTp: true },
        })
      : Promise.resolve([]),
    positionKey ? db.shadowDecision.count({ where: { positionKey } }) : Promise.resolve(0),
    db.$queryRaw<{ at: number; module: string; kind: string; price: number }[]>`
      SELECT (extract(epoch FROM created_at) * 1000)::float8 AS at, module, kind, stop_price AS price FROM exit_order_attempt
       WHERE symbol = ${symbol} AND position_side = ${positionSide} AND created_at >= ${new Date(since.getTime() - 300_000)} AND stop_price IS NOT NULL AND kind IN ('sl', 'tp', 'partial_tp')
       ORDER BY id LIMIT 5000`,
    db.exitOrderAttempt.findMany({
      where: { symbol, positionSide, exchangeStatus: { in: ["filled", "cancelled", "expired"] }, filledQuantity: { gt: 0 }, createdAt: { gte: since } },
      select: { fillPrice: true, filledQuantity: true, fee: true },
    }),
    listOrderAttempts(db, { symbol, positionSide, limit: 100 }),
    positionKey ? db.shadowComparison.findUnique({ where: { positionKey } }) : Promise.resolve(null),
    listPositionActions(db, { symbol, positionSide, limit: 10 }),
  ]);

  // A level for this position cannot be known before it opened: on the simulator the wall-clock
  // times map before the opening when the replay ran ahead of the wall clock, so they are held
  // at the opening (on the exchange's clock, from the position's key).
  const openedAtExchange = positionKey ? Number(positionKey.split(":").at(-1)) : Number.NaN;
  const onChart = (wall: number): number => {
    const t = clock.toExchange(wall);
    return Number.isFinite(openedAtExchange) ? Math.max(t, openedAtExchange) : t;
  };
  const legacyOrders = (kind: "sl" | "tp"): LevelPoint[] =>
    levelRows.filter((r) => (LEGACY_MODULES as readonly string[]).includes(r.module) && (kind === "sl" ? r.kind === "sl" : r.kind !== "sl")).map((r) => ({ at: onChart(r.at), price: r.price }));
  const decisionsAsc = [...levelDecisions].reverse();
  const brain = (field: "newSl" | "newTp"): LevelPoint[] =>
    decisionsAsc.filter((d) => d[field] !== null).map((d) => ({ at: onChart(d.at.getTime()), price: d[field]! }));
  const bars = foldCandles(candleRows.map((c) => ({ openTime: c.t, open: c.open, high: c.high, low: c.low, close: c.close, volume: 0 })), MAX_BARS);
  const ends = bars.map((b, i) => (bars[i + 1]?.t ?? Number.MAX_SAFE_INTEGER) - 1);
  const legacyRule = legacyRuleOf(open, positionSide);
  const recorded = { sl: legacyOrders("sl"), tp: legacyOrders("tp") };
  // A level with no legacy order recorded (in LIVE legacy places nothing for Exit Brain's
  // positions; or only its target was recorded): its rule for the position (a function of the
  // entry) is what legacy would hold, from the opening on. Decided per level: a recorded target
  // must not leave the stop undrawn.
  const fromOpening = (price: number | null): LevelPoint[] => (price === null ? [] : [{ at: Number.isFinite(openedAtExchange) ? openedAtExchange : (bars[0]?.t ?? 0), price }]);
  const slFromRule = recorded.sl.length === 0 && legacyRule.sl !== null;
  const tpFromRule = recorded.tp.length === 0 && legacyRule.tp !== null;
  const legacyFrom = slFromRule && tpFromRule ? "rule" : slFromRule || tpFromRule ? "orders-and-rule" : "orders";
  const series = {
    legacySl: slFromRule ? fromOpening(legacyRule.sl) : recorded.sl,
    legacyTp: tpFromRule ? fromOpening(legacyRule.tp) : recorded.tp,
    brainSl: brain("newSl"),
    brainTp: brain("newTp"),
  };
  const lv = { legacySl: levelAt(series.legacySl, ends), legacyTp: levelAt(series.legacyTp, ends), brainSl: levelAt(series.brainSl, ends), brainTp: levelAt(series.brainTp, ends) };
  const last = (pts: LevelPoint[]) => pts.at(-1)?.price ?? null;
  const lastBar = bars.at(-1);
  const edge = lastBar
    ? { t: candleRows.at(-1)!.t + 300_000, legacySl: last(series.legacySl), legacyTp: last(series.legacyTp), brainSl: last(series.brainSl), brainTp: last(series.brainTp) }
    : null;

  const realizedFills = fills.filter((f) => f.fillPrice !== null && f.filledQuantity !== null);
  return {
    symbol,
    positionSide,
    position: open,
    positionKey,
    openedAt: first?.at ?? null,
    entryPrice,
    handedBack: handback !== null,
    pnl: {
      unrealized: open ? open.unrealizedPnl : null,
      unrealizedPct: open ? pnlPctOf(positionSide, open.entryPrice, open.markPrice) : null,
      realized: entryPrice !== null && realizedFills.length > 0 ? realizedOf(positionSide, entryPrice, realizedFills.map((f) => ({ price: f.fillPrice!, quantity: f.filledQuantity!, fee: f.fee }))) : null,
      realizedFills: realizedFills.length,
      quote: "USDT",
    },
    chart: {
      timeframe: CHART_TIMEFRAME,
      clock: clock.mapped ? "simulator" : "exchange",
      candles: candleRows.length,
      bars: bars.map((b, i) => ({ ...b, legacySl: lv.legacySl[i]!, legacyTp: lv.legacyTp[i]!, brainSl: lv.brainSl[i]!, brainTp: lv.brainTp[i]! })),
      edge,
      legacyFrom,
    },
    decisions,
    decisionCount,
    orders: orders.rows,
    comparison: comparison
      ? { legacyReturnPct: comparison.legacyReturnPct, brainReturnPct: comparison.brainReturnPct, legacyExit: comparison.legacyExit, brainExit: comparison.brainExit, closedAt: comparison.closedAt, decisions: comparison.decisions }
      : null,
    latest: { legacySl: last(recorded.sl), legacyTp: last(recorded.tp), brainSl: last(series.brainSl), brainTp: last(series.brainTp) },
    legacyRule,
    actions,
  };
}
