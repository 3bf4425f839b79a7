// 20% of exchange calls fail (5xx, 429, timeouts before and after the order was accepted) while
// the simulator trades at 60x and positions open and close under a real worker process. Proves:
// no duplicate order (no client order id twice, no decision sent twice under another id), every
// attempt ends placed / blocked / rejected / failed (none left pending), the worker does not
// crash and keeps beating, and every "placed" attempt exists on the exchange exactly once.
//
// The stretch is measured in the worker's exchange requests, not in seconds: how many the worker
// makes depends on its account source (with the user-data stream, issue 14, REST reads are rare)
// and on the request-weight back-off (a 429 holds reads until the next minute), so a fixed 30 s
// met only 5-9 faults. It lasts until the worker has made MIN_REQUESTS requests (at least 30 s
// wall, at most MAX_WINDOW_MS), and the faults are counted per HTTP method, so the test shows
// they hit order placements (POST) and reads/look-ups (GET). The figures also say how many of
// the positions opened in the stretch had a resting stop on their closing side while open.
import { describe, expect, it } from "vitest";
import { admin } from "../../sim/testing/test-simulator";
import {
  apiOrders, attempts, closePosition, duplicateOrders, heartbeatAgeS, heartbeatOf, openPosition, openSymbols, resendsRefused,
} from "./support/fault-world";
import { suiteFaultWorld } from "./support/start-fault-world";
import { eventually, printFigures, sleep } from "./support/worker-process";

const SPEED = 60; // market ms per wall ms: the fault window is its wall length * 60 of simulated trading
const MIN_WINDOW_MS = 30_000;
const MAX_WINDOW_MS = 150_000; // a worker that makes far fewer requests than this fails the count below
const MIN_REQUESTS = 100; // at 20% ~20 faults expected; the check below wants at least 10
const CHURN_MS = 2500;
const METHODS = ["GET", "POST", "DELETE", "PUT"] as const;
// The same rates for every method; one rule per method so the figures say where the faults landed.
const FAULTS = METHODS.flatMap((method) => [
  { kind: "http-5xx", rate: 0.09, path: "/fapi", method },
  { kind: "rate-limit", rate: 0.08, path: "/fapi", method, retryAfterS: 0 },
  { kind: "timeout", rate: 0.05, path: "/fapi", method, holdMs: 1000 },
  ...(method === "POST" ? [{ kind: "accept-then-timeout", rate: 0.05, path: "/fapi", method, holdMs: 1000 }] : []),
]);
// P(a request is hit) = 1 - (1-0.09)(1-0.08)(1-0.05) = 0.20 for reads, 0.24 for order placements.

/** The position on `symbol` (one-way mode) has a resting stop on its closing side. */
function hasClosingStop(symbol: string): boolean {
  const { sim } = world;
  const amt = sim.sim.engine.book.amt(symbol);
  if (amt === 0) return false;
  const closing = amt > 0 ? "SELL" : "BUY";
  return sim.sim.engine.openAlgos(symbol).some((a) => a.side === closing && (a.orderType === "STOP_MARKET" || a.orderType === "TRAILING_STOP_MARKET"));
}

const world = suiteFaultWorld({ database: "faultx", seed: 7, speed: SPEED });

describe("[FAULTS] 20% of exchange calls fail for a stretch of simulated trading", () => {
  it("no duplicate order, no attempt left pending, no crash, heartbeat fresh throughout", async () => {
    const { t, sim, pool } = world;
    const symbols = sim.sim.symbols();
    await openPosition(sim, symbols[0]!, "long");
    await openPosition(sim, symbols[1]!, "short");
    await openPosition(sim, symbols[2]!, "long");
    // No toggle variables: the store seeds LEGACY, so the legacy modules place every protective order.
    // The stream's safety-net REST read of the account every 5 s (default once a minute), so that
    // read, too, meets the faults several times in the stretch.
    const worker = world.startWorker("w1", world.workerEnv({ ACCOUNT_FULL_REFRESH_S: "5" }));
    await eventually("the worker leads and has reconciled", () => worker.output().includes("reconciled, acting"), 60_000);

    const simStart = sim.sim.clock.now();
    // A zero-latency rule that always fires counts every exchange request of the window.
    const counter = (await admin<{ fault: { id: number } }>(sim, "POST", "/admin/faults", { kind: "latency", rate: 1, latencyMs: 0, path: "/fapi" })).fault.id;
    for (const f of FAULTS) await admin(sim, "POST", "/admin/faults", f);
    type Rule = { id: number; kind: string; method?: string; fired: number };
    const rulesNow = async () => (await admin<{ faults: Rule[] }>(sim, "GET", "/admin/faults")).faults;
    const start = Date.now();
    let requests = 0;
    let churns = 0;
    let maxBeatAgeS = 0;
    let side: "long" | "short" = "short";
    // Whether each position opened in the stretch had a resting stop before it was closed (figures
    // only: under 20% faults a stop can take several cycles; the guarantees are the ones below).
    const opened = new Map<string, number>(); // symbol -> which opening of the stretch
    const protectedOnce = new Set<number>();
    let openings = 0;
    while (Date.now() - start < MAX_WINDOW_MS && (Date.now() - start < MIN_WINDOW_MS || requests < MIN_REQUESTS)) {
      const churnAt = Date.now() + CHURN_MS;
      while (Date.now() < churnAt) {
        await sleep(100);
        for (const [symbol, opening] of opened) if (hasClosingStop(symbol)) protectedOnce.add(opening);
      }
      // Positions come and go: close the oldest, open a flat symbol (new entries = new decisions).
      const open = openSymbols(sim);
      if (open.length >= 3) {
        await closePosition(sim, open[0]!);
        opened.delete(open[0]!);
      }
      const flat = symbols.filter((s) => !openSymbols(sim).includes(s));
      side = side === "long" ? "short" : "long";
      if (flat.length > 0) {
        const symbol = flat[churns % flat.length]!;
        await openPosition(sim, symbol, side);
        opened.set(symbol, openings++);
      }
      churns++;
      expect(worker.alive(), `worker exited:\n${worker.output().slice(-3000)}`).toBe(true);
      maxBeatAgeS = Math.max(maxBeatAgeS, (await heartbeatAgeS(pool, worker.pid)) ?? Infinity);
      requests = (await rulesNow()).find((r) => r.id === counter)!.fired;
    }
    const wallWindowMs = Date.now() - start;
    const all = await rulesNow();
    requests = all.find((r) => r.id === counter)!.fired;
    const rules = all.filter((r) => r.id !== counter);
    await admin(sim, "DELETE", "/admin/faults");
    const simulatedS = (sim.sim.clock.now() - simStart) / 1000;

    // Every attempt settles (the gateway gives up after its bounded retries), nothing stays pending.
    await eventually("no pending attempt", async () => (await attempts(pool)).every((a) => a.outcome !== "pending"), 45_000, 250);
    expect(worker.alive()).toBe(true);
    expect(await heartbeatAgeS(pool, worker.pid)).toBeLessThan(2);
    expect((await heartbeatOf(pool, worker.pid))?.info.ha?.leader).toBe(true);

    const rows = await attempts(pool);
    const byOutcome = Object.fromEntries(["placed", "blocked", "rejected", "failed", "pending"].map((o) => [o, rows.filter((r) => r.outcome === o).length]));
    const dups = duplicateOrders(sim);
    const onExchange = new Map<string, number>();
    for (const o of apiOrders(sim)) onExchange.set(o.clientOrderId, (onExchange.get(o.clientOrderId) ?? 0) + 1);
    const placedMissing = rows.filter((r) => r.outcome === "placed" && onExchange.get(r.clientOrderId) !== 1);
    const failedButOnExchange = rows.filter((r) => r.outcome === "failed" && onExchange.has(r.clientOrderId)).length;
    const injected = rules.reduce((n, r) => n + r.fired, 0);
    const sumBy = (key: (r: Rule) => string) => rules.reduce<Record<string, number>>((m, r) => ({ ...m, [key(r)]: (m[key(r)] ?? 0) + r.fired }), {});
    const faultsByMethod = sumBy((r) => r.method ?? "?");
    const rejections = sim.sim.engine.log.rejected.filter((r) => r.source === "api").map((r) => r.code);
    printFigures("exchange-faults-20pct", {
      wallWindowS: Math.round(wallWindowMs / 1000), simulatedS: Math.round(simulatedS), exchangeRequests: requests, faultsInjected: injected,
      faultShare: Number((injected / requests).toFixed(3)), venueRejectionCodes: rejections,
      faultsByKind: sumBy((r) => r.kind), faultsByMethod, positionChurns: churns,
      positionsOpened: openings, positionsWithAStopWhileOpen: protectedOnce.size,
      attempts: rows.length, ...byOutcome, ordersOnExchange: apiOrders(sim).length, duplicatesSameClientId: dups.sameClientId,
      duplicatesSameDecision: dups.sameDecision, resendsRefusedByVenue: resendsRefused(sim), failedButOnExchange, maxHeartbeatAgeS: Number(maxBeatAgeS.toFixed(2)),
    });

    expect(simulatedS).toBeGreaterThanOrEqual(60); // at least a minute of simulated trading
    expect(injected / requests).toBeGreaterThan(0.1); // configured ~20%; the measured share is in the figures
    expect(injected).toBeGreaterThanOrEqual(10);
    // ... and they reached the order path, not only the account's reads.
    expect(faultsByMethod.POST).toBeGreaterThan(0); // order placements
    expect(faultsByMethod.GET).toBeGreaterThan(0); // reads and look-ups by client order id
    expect(rows.length).toBeGreaterThanOrEqual(8); // and the worker really tried to place orders through them
    expect(byOutcome.placed).toBeGreaterThan(0);
    expect(byOutcome.pending).toBe(0);
    expect(dups).toEqual({ sameClientId: 0, sameDecision: 0 });
    expect(placedMissing.map((r) => r.clientOrderId)).toEqual([]);
    expect(maxBeatAgeS).toBeLessThan(2); // the heartbeat never went stale (interval 250 ms)
    // Invariant 10: every attempt carries the toggle version and state it was decided under, and
    // that version leads to the audit row (actor) that set it.
    const audit = await t.db.toggleAudit.findMany({ select: { versionAfter: true, actor: true } });
    const actorOf = new Map(audit.map((a) => [Number(a.versionAfter), a.actor]));
    expect(rows.filter((r) => r.toggleVersion === null || !r.operationalState || !actorOf.has(r.toggleVersion))).toEqual([]);
  }, MAX_WINDOW_MS + 150_000);
});
