// The executor end to end: real PostgreSQL (toggles, shadow_decision, shadow_comparison,
// gateway attempts), the in-process simulator over real ccxt, the real toggle watcher and
// gateway. One executor runs through the whole file, as in the worker: SHADOW (log lines, JSONL
// file, rows, no orders), a close in SHADOW (comparison row), LIVE without a restart (initial
// stop, breakeven = new stop placed before the old is cancelled), the kill switch (back to
// SHADOW, no further orders), a position with broken data (the others carry on), LEGACY (stops).
// The whole journey runs with the account in one-way mode and in hedge mode; in hedge mode a SHORT
// opened beside the LONG on the same symbol is a position of its own and gets its own stop.
import { readFile } from "node:fs/promises";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, orderLog, waitUntil, type TestPositionMode } from "../../sim/testing/test-simulator";
import type { RunningSimulator } from "../../sim/server/start-simulator";
import type { TestDatabase } from "../../test/test-database";
import { parseExitBrainParams } from "../../src/core/exit-brain";
import { parseShadowLogLine } from "../../src/core/decisions";
import type { ToggleSet } from "../../src/core/toggles";
import { changeToggles } from "../../src/server/services/toggles/change-toggles";
import { killSwitch } from "../../src/server/services/toggles/rollbacks";
import type { ToggleWatcher } from "../toggles/toggle-watcher";
import type { RunningExecutor } from "./start-executor";
import { startExecutorWorld, type ExecutorWorld } from "./testing/executor-world";

const SHADOW: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "SHADOW", EXIT_BRAIN_V3_LIVE_ROLLOUT: "DISABLED" };
const LIVE: ToggleSet = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" };
const SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
// Breakeven well before trailing or the ladder, no take-profit, no time limit: one clear path.
const params = parseExitBrainParams({ breakevenTriggerR: 0.5, trailTriggerR: 3, ladder: [{ triggerR: 4, fraction: 0.5 }], takeProfitR: 0, maxHoldMs: 0 });

const lines: string[] = [];
const log = pino({ level: "debug" }, { write: (s: string) => void lines.push((JSON.parse(s) as { msg: string }).msg) });
const linesMatching = (re: RegExp) => lines.filter((l) => re.test(l));

let world: ExecutorWorld | undefined;
let t: TestDatabase;
let sim: RunningSimulator;
let toggles: ToggleWatcher;
let running: RunningExecutor;
let shadowFile: string;
let cancels: ExecutorWorld["cancels"];
let broken: Set<string>;

async function setToggles(changes: ToggleSet): Promise<void> {
  await changeToggles(t.db, { changes, actor: "test", source: "cli", reason: "test", confirmLive: true, ceilings: {} });
}

/** Orders the executor sent (deterministic client ids start with eb-; no legacy module runs here). */
async function executorOrders() {
  return (await orderLog(sim)).orders.filter((o) => o.clientOrderId.startsWith("eb-"));
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, limitMs = 15_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function simPosition(symbol: string) {
  const s = await admin<{ positions: { symbol: string; entryPrice: number; side: string }[]; prices: Record<string, number> }>(sim, "GET", "/admin/state");
  return { position: s.positions.find((p) => p.symbol === symbol), price: s.prices[symbol]! };
}

describe.each(["one-way", "hedge"] as const satisfies readonly TestPositionMode[])("Exit Brain executor against the simulator (%s position mode)", (mode) => {
  beforeAll(async () => {
    lines.length = 0;
    world = await startExecutorWorld({
      database: mode === "hedge" ? "executorh" : "executor",
      mode,
      toggles: SHADOW,
      symbols: SYMBOLS,
      refreshMs: 1000, // the worker's account cycle refreshes every 2 s by default
      log,
      params,
      shadowLog: true,
      prepare: async (w) => {
        expect(await w.port.fetchPositionMode()).toBe(mode); // as the worker does when it connects
      },
    });
    ({ t, sim, toggles, running, cancels, broken } = world);
    shadowFile = world.shadowFile!;
  });

  afterAll(async () => {
    await world?.close();
  });

  it("SHADOW: logs [EXIT_BRAIN_SHADOW] decisions, fills the JSONL file and shadow_decision, places no order", async () => {
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "long", quantity: 0.05, leverage: 5 });
    await admin(sim, "POST", "/admin/position/open", { symbol: "ETHUSDT", side: "short", quantity: 1, leverage: 5 });
    await waitUntil(() => linesMatching(/^\[EXIT_BRAIN_SHADOW\] BTCUSDT long size=0\.0500 pnl=[+-]\d+\.\d\d% type=move_sl new_sl=\$\d+\.\d{4} sl_reason=initial reason='SL adjustment \(initial\)/).length > 0, "BTC initial stop line", 15_000);
    await waitUntil(() => linesMatching(/^\[EXIT_BRAIN_SHADOW\] ETHUSDT short size=1\.0000 .*type=move_sl/).length > 0, "ETH shadow line", 15_000);
    // The virtual state took the stop: the next cycles hold instead of repeating "initial".
    await waitUntil(() => linesMatching(/^\[EXIT_BRAIN_SHADOW\] BTCUSDT long .*type=hold/).length >= 2, "BTC holds every interval", 15_000);
    expect(linesMatching(/^\[EXIT_BRAIN_SHADOW\] BTCUSDT long .*sl_reason=initial/)).toHaveLength(1);
    expect(lines).toContain("[EXIT_BRAIN_EXECUTOR] Initialized in SHADOW MODE - Config: EXIT_MODE=EXIT_BRAIN_V3, EXIT_EXECUTOR_MODE=SHADOW, EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED");
    expect(lines).toContain("[EXIT_BRAIN_EXECUTOR] Starting monitoring loop (interval=0.3s, mode=SHADOW)");

    const fileLines = await eventually(
      async () => (await readFile(shadowFile, "utf8").catch(() => "")).split("\n").filter((l) => l !== ""),
      (ls) => ls.some((l) => l.includes('"ETHUSDT"')) && ls.some((l) => l.includes('"hold"')),
      "JSONL lines",
    );
    for (const l of fileLines) {
      const obj = JSON.parse(l) as Record<string, unknown>; // what the runbook's pandas snippet does
      for (const k of ["symbol", "side", "size", "pnl_pct", "timestamp", "decision.decision_type", "decision.confidence", "decision.reason", "decision.new_sl"]) expect(obj).toHaveProperty([k]);
      expect(parseShadowLogLine(l).mode).toBe("SHADOW");
    }
    const rows = await eventually(() => t.db.shadowDecision.findMany({ orderBy: { id: "asc" } }), (r) => r.some((x) => x.symbol === "ETHUSDT") && r.some((x) => x.decisionType === "hold"), "shadow_decision rows");
    expect(rows.find((r) => r.symbol === "BTCUSDT")).toMatchObject({ decisionType: "move_sl", slReason: "initial", mode: "SHADOW", side: "long" });
    expect(rows.every((r) => r.mode === "SHADOW" && r.toggleVersion !== null)).toBe(true);

    expect(await executorOrders()).toEqual([]);
    expect(await t.db.exitOrderAttempt.count()).toBe(0);
    expect(running.info()).toMatchObject({ running: true, effective_mode: "SHADOW", errors: 0 });
    expect(running.info().last_decision_timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("a position that closes while shadowed gets a shadow-vs-legacy comparison row", async () => {
    await admin(sim, "POST", "/admin/position/close", { symbol: "ETHUSDT" });
    const row = await eventually(() => t.db.shadowComparison.findFirst({ where: { symbol: "ETHUSDT" } }), (r) => r !== null, "shadow_comparison row");
    expect(row).toMatchObject({ side: "short", size: 1 });
    expect(row!.positionKey).toMatch(/^ETHUSDT:short:\d+$/);
    expect(row!.decisions).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(row!.legacyReturnPct) && Number.isFinite(row!.brainReturnPct)).toBe(true);
    expect(row!.brainExit.length).toBeGreaterThan(0);
    // held to legacy's close (no evidence for the readiness test) only when the replay says so
    expect(!row!.heldToClose || row!.brainExit.startsWith("still open at the legacy close")).toBe(true);
  });

  it("LIVE without a restart: the next decisions place orders through the gateway; breakeven places the new stop, then cancels the old", async () => {
    const before = lines.length;
    await setToggles(LIVE);
    await waitUntil(() => lines.slice(before).includes("[EXIT_BRAIN_EXECUTOR] 🔴 LIVE MODE ACTIVE 🔴 - AI will place real orders via exit_order_gateway. Legacy modules will be blocked."), "LIVE banner");
    // BTC has no stop on the exchange: taking over gives it an initial STOP_MARKET at once.
    const first = await eventually(executorOrders, (o) => o.some((x) => x.type === "STOP_MARKET" && x.status === "NEW"), "initial executor stop");
    expect(first).toHaveLength(1);
    expect(linesMatching(/^\[EXIT_BRAIN_LIVE\] Executing move_sl for BTCUSDT long: SL adjustment \(initial\)/).length).toBeGreaterThan(0);
    // The gateway records the outcome right after the venue answers.
    const initial = (await eventually(() => t.db.exitOrderAttempt.findFirst({ where: { module: "exit_executor", symbol: "BTCUSDT", outcome: "placed" } }), (a) => a !== null, "placed attempt row"))!;
    expect(initial).toMatchObject({ kind: "sl", orderType: "STOP_MARKET", reduceOnly: true, operationalState: "EXIT_BRAIN_V3_LIVE" });

    // Profit of 0.8 R (R = entry - initial stop): past breakeven (0.5 R), short of trailing (3 R).
    const { position } = await simPosition("BTCUSDT");
    const entry = position!.entryPrice;
    const r = entry - initial.stopPrice!;
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: Number((entry + 0.8 * r).toFixed(1)) });
    const after = await eventually(executorOrders, (o) => o.some((x) => x.status === "CANCELED") && o.filter((x) => x.status === "NEW").length === 1, "breakeven stop placed and old one cancelled");
    const live = after.find((x) => x.status === "NEW")!;
    expect(live.clientOrderId).not.toBe(first[0]!.clientOrderId);
    const moved = (await eventually(() => t.db.exitOrderAttempt.findUnique({ where: { clientOrderId: live.clientOrderId } }), (a) => a?.outcome === "placed", "placed breakeven attempt"))!;
    expect(moved.stopPrice!).toBeGreaterThan(entry); // breakeven (+ fee offset), never looser
    expect(linesMatching(/^\[EXIT_BRAIN_LIVE\] Executing move_sl for BTCUSDT long: SL adjustment \(breakeven\)/).length).toBeGreaterThan(0);
    // The old stop was cancelled while the new one already rested: two executor stops at that moment.
    expect(cancels.length).toBeGreaterThan(0);
    expect(cancels.every((c) => c.openStopsAtCancel === 2)).toBe(true);
    // LIVE decisions are stored too, by the batched recorder (flushed within flushMs).
    const liveRows = await eventually(() => t.db.shadowDecision.count({ where: { mode: "LIVE", decisionType: "move_sl" } }), (n) => n >= 2, "LIVE decisions stored");
    expect(liveRows).toBeGreaterThanOrEqual(2);
  });

  it("the kill switch returns it to SHADOW: decisions are shadowed again and no further executor order is sent", async () => {
    await killSwitch(t.db, { actor: "op", source: "dashboard", ceilings: {} });
    await waitUntil(() => toggles.view().state === "EXIT_BRAIN_V3_SHADOW", "watcher sees SHADOW");
    const sent = (await executorOrders()).length;
    const attempts = await t.db.exitOrderAttempt.count();
    const mark = lines.length;
    // Far enough into profit that LIVE would trail the stop.
    const { position } = await simPosition("BTCUSDT");
    await admin(sim, "POST", "/admin/price", { symbol: "BTCUSDT", price: Number((position!.entryPrice * 1.3).toFixed(1)) });
    await waitUntil(() => lines.slice(mark).some((l) => /^\[EXIT_BRAIN_SHADOW\] BTCUSDT long .*type=move_sl .*sl_reason=trailing/.test(l)), "a shadowed trailing move", 15_000);
    await waitUntil(() => lines.slice(mark).filter((l) => l.startsWith("[EXIT_BRAIN_SHADOW] BTCUSDT")).length >= 3, "a few more shadow cycles", 15_000);
    expect(lines.slice(mark).filter((l) => l.startsWith("[EXIT_BRAIN_LIVE] Executing"))).toEqual([]);
    expect((await executorOrders()).length).toBe(sent);
    expect(await t.db.exitOrderAttempt.count()).toBe(attempts);
    expect(running.info().effective_mode).toBe("SHADOW");
  });

  it("a position with broken data is counted as an error and does not stop the others", async () => {
    broken.add("SOLUSDT");
    await admin(sim, "POST", "/admin/position/open", { symbol: "SOLUSDT", side: "long", quantity: 5, leverage: 5 });
    const errorsBefore = running.info().errors;
    await waitUntil(() => running.info().errors >= errorsBefore + 2, "errors counted for SOLUSDT", 15_000);
    const mark = lines.length;
    await waitUntil(() => lines.slice(mark).filter((l) => l.startsWith("[EXIT_BRAIN_SHADOW] BTCUSDT long")).length >= 2, "BTC still evaluated", 15_000);
    expect(linesMatching(/\[EXIT_BRAIN_EXECUTOR\] evaluation of SOLUSDT failed/).length).toBeGreaterThan(0);
    expect(linesMatching(/^\[EXIT_BRAIN_SHADOW\] SOLUSDT/)).toEqual([]);
    expect(running.info().running).toBe(true);
    broken.delete("SOLUSDT");
    await waitUntil(() => linesMatching(/^\[EXIT_BRAIN_SHADOW\] SOLUSDT long/).length > 0, "SOL evaluated once its data is sound", 15_000);
  });

  it("EXIT_MODE=LEGACY stops the loop (no restart needed), and EXIT_BRAIN_V3 starts it again", async () => {
    await setToggles({ ...SHADOW, EXIT_MODE: "LEGACY" });
    await waitUntil(() => !running.info().running, "executor stopped", 10_000);
    expect(running.info().effective_mode).toBe("OFF");
    expect(lines).toContain("[EXIT_BRAIN_EXECUTOR] EXIT_MODE=LEGACY: monitoring loop stopped; the legacy modules own exits.");
    await setToggles(SHADOW);
    await waitUntil(() => running.info().running, "executor running again", 10_000);
    expect(linesMatching(/^\[EXIT_BRAIN_EXECUTOR\] Starting monitoring loop/).length).toBe(2);
  });

  it("LIVE: a stop the venue rejects is sent again after the back-off, under a new decision id, once", async () => {
    // SOLUSDT has no stop; the venue refuses every conditional order while the fault is on.
    const fault = await admin<{ fault: { id: number } }>(sim, "POST", "/admin/faults", { kind: "reject", path: "/fapi/v1/algoOrder", method: "POST", code: -2019, msg: "Margin is insufficient." });
    expect(fault.fault.id).toBeGreaterThan(0);
    await setToggles(LIVE);
    const solStops = () => t.db.exitOrderAttempt.findMany({ where: { module: "exit_executor", symbol: "SOLUSDT", kind: "sl" }, orderBy: { id: "asc" } });
    const rejected = await eventually(solStops, (a) => a.some((x) => x.outcome === "rejected"), "the initial SOL stop rejected");
    // Within the back-off the executor evaluates again (every 0.3 s) but does not re-send.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await solStops()).toHaveLength(rejected.length);
    await admin(sim, "DELETE", "/admin/faults");
    const after = await eventually(solStops, (a) => a.some((x) => x.outcome === "placed"), "the SOL stop placed after the back-off", 10_000);
    const placed = after.filter((x) => x.outcome === "placed");
    expect(placed).toHaveLength(1);
    expect(placed[0]!.decisionId).toBe(`${rejected[0]!.decisionId}:retry1`);
    const onExchange = sim.sim.engine.openAlgos().filter((a) => a.symbol === "SOLUSDT" && a.orderType === "STOP_MARKET");
    expect(onExchange).toHaveLength(1);
  });

  // Only in hedge mode: one-way mode has no second position on a symbol (not a skipped test there).
  if (mode === "hedge") it("hedge mode, LIVE: a SHORT opened beside the LONG on BTCUSDT gets its own stop (BUY on SHORT); the LONG keeps exactly one", async () => {
    const stopsOf = (side: "LONG" | "SHORT") => sim.sim.engine.openAlgos("BTCUSDT").filter((a) => a.orderType === "STOP_MARKET" && a.positionSide === side && a.clientAlgoId.startsWith("eb-"));
    expect(stopsOf("LONG")).toHaveLength(1);
    await admin(sim, "POST", "/admin/position/open", { symbol: "BTCUSDT", side: "short", quantity: 0.02, leverage: 5 });
    await waitUntil(() => stopsOf("SHORT").length === 1, "the SHORT's own executor stop", 15_000);
    expect(stopsOf("SHORT")[0]).toMatchObject({ side: "BUY", reduceOnly: false, quantity: 0.02 });
    // The LONG is still protected by exactly one stop (the executor may trail it meanwhile: place, then cancel).
    await waitUntil(() => stopsOf("LONG").length === 1, "one stop for the LONG", 15_000);
    expect(stopsOf("LONG")[0]).toMatchObject({ side: "SELL", reduceOnly: false });
    const row = await eventually(() => t.db.exitOrderAttempt.findFirst({ where: { module: "exit_executor", symbol: "BTCUSDT", positionSide: "short", outcome: "placed" } }), (a) => a !== null, "the SHORT's placed attempt");
    expect(row).toMatchObject({ side: "buy", kind: "sl" });
  });
});
