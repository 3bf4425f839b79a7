// Issue 16: the operator cockpit's heavy pages, first render in Chromium against `next start` on
// the existing build (npx next build first) and a bench database:
//   - a position page with 1,000 decisions and 10,000 candles (nav -> chart and decisions), p99 < 1 s;
//   - the Orders page with 100,000 orders (nav -> table), p99 < 500 ms;
//   - the Status page (nav -> state banner, < 1 s) and the Positions list (reported), which like the
//     two above render their first data on the server (issue 18: page.tsx prefetches);
// each with the browser's split (first byte, HTML done, FCP: server time vs the browser's) and two
// end points: "data painted" (Element Timing: when the elements carrying the data were first
// painted, what the user sees; the targets are judged on it) and "drawn" (Playwright sees the
// selectors visible: its check runs on the page's main thread, so it also waits for hydration);
// plus the orders.list query on the 100,000 rows (first page, a deep keyset page, filtered by
// exchange status and by symbol) and the status report's order counts (migration 0018's running
// counts against counting the attempts). Each page opened in a fresh tab and again from another cockpit
// page in the same tab (the top bar's links). Baseline in the same run: a static page from a plain
// node:http server with the product's security headers (navigation -> h1 visible), both ways.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb } from "../src/server/db/client";
import { getExitMetricsWithLifetime } from "../src/server/services/status/get-exit-metrics";
import { createBenchDatabase } from "./lib/bench-database";
import { firstRenders, signedInBrowser, signIn, startStaticServer, type FirstRenders } from "./lib/page-timing";
import { startWeb, type Proc } from "./lib/processes";
import { size, waitFor } from "./lib/quick";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt, nowMs, summarize } from "./lib/stats";

const WEB_PORT = Number(process.env.BENCH_WEB_PORT ?? 3210);
const PAGE_LOADS = size("BENCH_PAGE_LOADS", 20, 5);
const ORDERS = size("BENCH_ORDERS", 100_000, 100_000);
const base = `http://127.0.0.1:${WEB_PORT}`;
const auth = { secret: randomBytes(32).toString("base64url"), email: "bench@localhost", password: randomBytes(12).toString("base64url") };

const bench = await createBenchDatabase("cockpit");
const procs: Proc[] = [];
const staticServer = await startStaticServer();

/** 10,000 candles, 1,000 decisions for one position; ORDERS exit orders over 20 symbols with lifecycles. */
async function seed(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => {}); // a dropped idle connection surfaces on the next query
  await c.connect();
  const t0 = Date.now() - 10_000 * 300_000;
  await c.query(`INSERT INTO position_safety (symbol, position_side, size, entry_price, mark_price, unrealized_pnl, protected, dual_position, stop_price, seen_at)
                 VALUES ('BTCUSDT', 'long', 0.5, 50000, 50500, 250, true, false, 49000, now())`);
  await c.query(`INSERT INTO market_candle (symbol, timeframe, open_time, open, high, low, close, volume)
                 SELECT 'BTCUSDT', '5m', to_timestamp(($1::float8 + i::float8 * 300000) / 1000), 50000 + 400 * sin(i / 50.0), 50000 + 400 * sin(i / 50.0) + 30,
                        50000 + 400 * sin(i / 50.0) - 30, 50000 + 400 * sin((i + 1) / 50.0), 1
                   FROM generate_series(0, 9999) i`, [t0]);
  const openedAt = Date.now() - 1000 * 60_000;
  await c.query(`INSERT INTO shadow_decision (at, position_key, symbol, side, size, entry_price, mark_price, pnl_pct, decision_type, confidence, reason, new_sl, new_tp, mode)
                 SELECT to_timestamp(($1::float8 + i::float8 * 60000) / 1000), $2, 'BTCUSDT', 'long', 0.5, 50000, 50000 + i, i / 500.0,
                        CASE WHEN i % 25 = 0 THEN 'move_sl' ELSE 'hold' END, 0.7, 'bench decision ' || i,
                        CASE WHEN i % 25 = 0 THEN 49000 + i ELSE NULL END, NULL, 'SHADOW'
                   FROM generate_series(0, 999) i`, [openedAt, `BTCUSDT:long:${openedAt}`]);
  await c.query(`INSERT INTO exit_order_attempt (created_at, module, kind, symbol, side, position_side, order_type, quantity, stop_price, reduce_only,
                   client_order_id, decision_id, operational_state, toggle_version, verdict, outcome, exchange_order_id, exchange_status, exchange_status_at,
                   filled_quantity, fill_price, cancelled_by, cancel_reason)
                 SELECT now() - (($1 - i) * interval '1 second'),
                        (ARRAY['exit_executor','position_monitor','hybrid_tpsl'])[1 + i % 3], 'sl', 'SYM' || (i % 20) || 'USDT', 'sell', 'long', 'STOP_MARKET', 0.1,
                        40000 + i % 1000, true, 'bench-' || i, 'bench-d-' || i, 'EXIT_BRAIN_V3_LIVE', 1, 'allow',
                        CASE WHEN i % 7 = 0 THEN 'blocked' ELSE 'placed' END, CASE WHEN i % 7 = 0 THEN NULL ELSE 'x' || i END,
                        CASE WHEN i % 7 = 0 THEN NULL ELSE (ARRAY['open','filled','cancelled','expired'])[1 + i % 4] END, now(),
                        CASE WHEN i % 4 = 1 THEN 0.1 END, CASE WHEN i % 4 = 1 THEN 40000 END,
                        CASE WHEN i % 4 = 2 THEN 'exit_executor' END, CASE WHEN i % 4 = 2 THEN 'replaced by a tighter stop' END
                   FROM generate_series(1, $1) i`, [ORDERS]);
  await c.query("ANALYZE");
  await c.end();
}

try {
  const s0 = nowMs();
  await seed(bench.url);
  console.log(`seeded 10,000 candles, 1,000 decisions, ${ORDERS.toLocaleString("en")} orders in ${((nowMs() - s0) / 1000).toFixed(1)} s`);
  const web = startWeb(bench.url, WEB_PORT, auth);
  procs.push(web);
  await waitFor(async () => ((await fetch(`${base}/health/exit_brain_status`).catch(() => null))?.ok ? true : null), `web on ${base} (${web.tail()})`, 120_000, 250);
  const cookie = await signIn(base, auth.email, auth.password);
  const probe = await fetch(`${base}/positions/BTCUSDT-long`, { headers: { cookie } });
  if (probe.status === 404) throw new Error("the build has no /positions page: run `npx next build` first");

  /** One warm-up run, then 30 timed ones. */
  const timed = async (run: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 31; i++) {
      const t = nowMs();
      await run();
      if (i > 0) samples.push(nowMs() - t);
    }
    return summarize(samples);
  };

  // The query behind the Orders page, on the 100,000 rows.
  const query = (input: Record<string, unknown>) =>
    timed(async () => {
      const r = await fetch(`${base}/api/trpc/orders.list?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: { cookie } });
      if (!r.ok) throw new Error(`orders.list ${JSON.stringify(input)}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
      await r.arrayBuffer();
    });
  const first = await query({ limit: 50 });
  const deep = await query({ limit: 50, cursor: Math.floor(ORDERS / 10) });
  const byStatus = await query({ limit: 50, exchangeStatus: "cancelled" });
  const bySymbol = await query({ limit: 50, symbol: "SYM7USDT" });
  for (const [what, s] of [["first page", first], ["page at id 10,000", deep], ["exchange status cancelled", byStatus], ["symbol SYM7USDT", bySymbol]] as const) {
    console.log(`orders.list ${what.padEnd(26)} ${fmt(s)}`);
  }

  // The status report's order counts (period + lifetime) on the 100,000 attempts: from the running
  // counts (migration 0018), against counting the attempts themselves (how it was done before,
  // the same grouped pass, as the baseline).
  const db = createDb(bench.url, { max: 1 });
  const period = { since: new Date(Date.now() - 3_600_000), sinceVersion: 1 };
  const fromTally = await timed(() => getExitMetricsWithLifetime(db, period));
  const recount = await timed(() => db.$queryRaw`
    SELECT module, kind, outcome, ownership_conflict, (created_at >= ${period.since} AND (toggle_version IS NULL OR toggle_version >= 1)) AS in_window, count(*) AS n
      FROM exit_order_attempt GROUP BY 1, 2, 3, 4, 5`);
  await db.$disconnect();
  console.log(`status counts from the tally        ${fmt(fromTally)}`);
  console.log(`status counts by counting attempts  ${fmt(recount)}`);

  const { browser, ctx } = await signedInBrowser(base, cookie);
  // The elements marked `elementtiming` in the pages (the text that carries each page's data):
  // the chart's price scale and the first decision, the first order, the state, the first position's line.
  const position = await firstRenders(ctx, `${base}/positions/BTCUSDT-long`, ["[data-testid=position-chart] .recharts-surface", "[data-testid=decisions-table] tbody tr"], PAGE_LOADS, ["position-chart", "decisions-table"]);
  const orders = await firstRenders(ctx, `${base}/orders`, ["[data-testid=orders-table] tbody tr"], PAGE_LOADS, ["orders-table"]);
  const status = await firstRenders(ctx, `${base}/`, ["[data-testid=state-banner]"], PAGE_LOADS, ["state-banner"]);
  const positions = await firstRenders(ctx, `${base}/positions`, ["[data-testid=positions-list] li"], PAGE_LOADS, ["positions-list"]);
  const staticPage = await firstRenders(ctx, staticServer.pageUrl, ["h1"], PAGE_LOADS, ["static"]);
  // The same pages opened from another cockpit page in the same tab (the top bar's links), the way
  // an operator moves through the dashboard: no new browsing context group (see startStaticServer).
  const inTab = {
    position: await firstRenders(ctx, `${base}/positions/BTCUSDT-long`, ["[data-testid=position-chart] .recharts-surface", "[data-testid=decisions-table] tbody tr"], PAGE_LOADS, ["position-chart", "decisions-table"], { from: `${base}/positions` }),
    orders: await firstRenders(ctx, `${base}/orders`, ["[data-testid=orders-table] tbody tr"], PAGE_LOADS, ["orders-table"], { from: `${base}/positions` }),
    status: await firstRenders(ctx, `${base}/`, ["[data-testid=state-banner]"], PAGE_LOADS, ["state-banner"], { from: `${base}/positions` }),
    staticPage: await firstRenders(ctx, staticServer.pageUrl, ["h1"], PAGE_LOADS, ["static"], { from: staticServer.pageUrl }),
  };
  await browser.close();
  const split = (r: FirstRenders) =>
    `${fmt(r.visible)}\n    data painted ${fmt(r.dataPainted)}${r.unpainted > 0 ? ` (${r.unpainted} loads with no paint entry)` : ""}` +
    `\n    first byte ${fmt(r.firstByte)}\n    HTML done  ${fmt(r.htmlDone)}\n    FCP        ${fmt(r.fcp)}`;
  console.log(`position page (10,000 candles, 1,000 decisions): nav -> chart + decisions drawn ${split(position)}`);
  console.log(`orders page (${ORDERS.toLocaleString("en")} orders): nav -> table drawn ${split(orders)}`);
  console.log(`status page: nav -> state banner ${split(status)}`);
  console.log(`positions list (1 position): nav -> list drawn ${split(positions)}`);
  console.log(`baseline static page: nav -> h1 ${split(staticPage)}`);
  console.log("from another page in the same tab:");
  console.log(`position page ${split(inTab.position)}`);
  console.log(`orders page ${split(inTab.orders)}`);
  console.log(`status page ${split(inTab.status)}`);
  console.log(`baseline static page ${split(inTab.staticPage)}`);

  // Targets on the data paint (what the user sees); "drawn" beside it, on the same loads.
  const baseline = `static page painted ${ms(staticPage.dataPainted.p99)}, drawn ${ms(staticPage.visible.p99)} (p50 ${ms(staticPage.dataPainted.p50)} / ${ms(staticPage.visible.p50)})`;
  const both = (r: FirstRenders) => `painted ${ms(r.dataPainted.p99)}, drawn ${ms(r.visible.p99)} (p50 ${ms(r.dataPainted.p50)} / ${ms(r.visible.p50)}; HTML done p50 ${ms(r.htmlDone.p50)})`;
  const met = (r: FirstRenders, limit: number) => r.unpainted === 0 && r.dataPainted.p99 < limit;
  reportRow({ bench: "cockpit-pages", figure: "position page first render (10,000 candles, 1,000 decisions), p99 data painted / drawn", value: both(position), target: "< 1000 ms", baseline, ratio: ratio(position.dataPainted.p99, staticPage.dataPainted.p99), met: met(position, 1000) });
  reportRow({ bench: "cockpit-pages", figure: `Orders page first render (${ORDERS.toLocaleString("en")} orders), p99 data painted / drawn`, value: both(orders), target: "< 500 ms", baseline, ratio: ratio(orders.dataPainted.p99, staticPage.dataPainted.p99), met: met(orders, 500) });
  reportRow({ bench: "cockpit-pages", figure: "status page first render (state banner), p99 data painted / drawn", value: both(status), target: "< 1000 ms", baseline, ratio: ratio(status.dataPainted.p99, staticPage.dataPainted.p99), met: met(status, 1000) });
  const inTabBaseline = `static page painted ${ms(inTab.staticPage.dataPainted.p99)}, drawn ${ms(inTab.staticPage.visible.p99)} (p50 ${ms(inTab.staticPage.dataPainted.p50)} / ${ms(inTab.staticPage.visible.p50)})`;
  reportRow({ bench: "cockpit-pages", figure: "position page, from another page in the tab, p99 data painted / drawn", value: both(inTab.position), target: "< 1000 ms", baseline: inTabBaseline, ratio: ratio(inTab.position.dataPainted.p99, inTab.staticPage.dataPainted.p99), met: met(inTab.position, 1000) });
  reportRow({ bench: "cockpit-pages", figure: `Orders page (${ORDERS.toLocaleString("en")} orders), from another page in the tab, p99 data painted / drawn`, value: both(inTab.orders), target: "< 500 ms", baseline: inTabBaseline, ratio: ratio(inTab.orders.dataPainted.p99, inTab.staticPage.dataPainted.p99), met: met(inTab.orders, 500) });
  reportRow({ bench: "cockpit-pages", figure: "status page, from another page in the tab, p99 data painted / drawn", value: both(inTab.status), target: "< 1000 ms", baseline: inTabBaseline, ratio: ratio(inTab.status.dataPainted.p99, inTab.staticPage.dataPainted.p99), met: met(inTab.status, 1000) });
  reportRow({ bench: "cockpit-pages", figure: "positions list first render, p99 data painted / drawn", value: both(positions), target: "report", baseline, ratio: ratio(positions.dataPainted.p99, staticPage.dataPainted.p99), met: null });
  reportRow({ bench: "cockpit-pages", figure: `status report's order counts (period + lifetime) on ${ORDERS.toLocaleString("en")} orders, p99`, value: `${ms(fromTally.p99)} (p50 ${ms(fromTally.p50)})`, target: "report", baseline: `counting the attempts: ${ms(recount.p99)} (p50 ${ms(recount.p50)})`, ratio: ratio(fromTally.p99, recount.p99), met: null });
  reportRow({ bench: "cockpit-pages", figure: `orders.list on ${ORDERS.toLocaleString("en")} orders (first / deep page / by status / by symbol), p99`, value: `${ms(first.p99)} / ${ms(deep.p99)} / ${ms(byStatus.p99)} / ${ms(bySymbol.p99)}`, target: "report", baseline: "-", ratio: "-", met: null });
} finally {
  for (const p of procs.reverse()) await p.stop();
  staticServer.close();
  await bench.drop();
}
