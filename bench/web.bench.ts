// Issue 9 item 7: the product started on its own ports (sim 8990 in-process, worker, web 3200
// via `next start` on the existing build, a bench database). /health/exit_brain_status and the
// status tRPC query (health.exitBrainStatus, signed in) at 200 requests/s for 30 s (autocannon):
// p99 < 20 ms; baseline in the same run: a plain node:http server answering a fixed JSON at the
// same rate. Then the status page's first render in Chromium (< 1 s), next to a static page.
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { createBenchDatabase } from "./lib/bench-database";
import { startBenchSim } from "./lib/bench-sim";
import { firstRenders, signedInBrowser, signIn, startStaticServer } from "./lib/page-timing";
import { sampleRss, startWeb, startWorker, type Proc } from "./lib/processes";
import { size, waitFor } from "./lib/quick";
import { ms, ratio, reportRow } from "./lib/report";
import { fmt } from "./lib/stats";

const WEB_PORT = Number(process.env.BENCH_WEB_PORT ?? 3200);
const SIM_PORT = Number(process.env.BENCH_SIM_PORT ?? 8990);
const DURATION_S = size("BENCH_WEB_S", 30, 5);
const PAGE_LOADS = size("BENCH_PAGE_LOADS", 10, 3);
const base = `http://127.0.0.1:${WEB_PORT}`;
const auth = { secret: randomBytes(32).toString("base64url"), email: "bench@localhost", password: randomBytes(12).toString("base64url") };

const bench = await createBenchDatabase("web");
const sim = await startBenchSim({ symbols: 4, port: SIM_PORT, speed: 60 });
const procs: Proc[] = [];
const staticServer = await startStaticServer();

async function load(url: string, headers: Record<string, string> = {}) {
  // One worker thread: the load generator's clock runs on its own event loop, not the one this
  // process shares with the in-process simulator (whose work would otherwise show as latency).
  const r = await autocannon({ url, connections: 10, duration: DURATION_S, overallRate: 200, headers, timeout: 10, workers: 1 });
  console.log(`${url.padEnd(60)} ${r.requests.total} req, non2xx ${r.non2xx}, errors ${r.errors}: p50=${r.latency.p50} ms p90=${r.latency.p90} ms p99=${r.latency.p99} ms max=${r.latency.max} ms`);
  return r;
}

try {
  procs.push(startWorker(bench.url, sim.url));
  const web = startWeb(bench.url, WEB_PORT, auth);
  procs.push(web);
  const rss = sampleRss(web.child.pid!, 500);
  await waitFor(async () => ((await fetch(`${base}/health/exit_brain_status`).catch(() => null))?.ok ? true : null), `web on ${base} (${web.tail()})`, 120_000, 250);
  const cookie = await signIn(base, auth.email, auth.password);
  const trpc = `${base}/api/trpc/health.exitBrainStatus`;
  const probe = await fetch(trpc, { headers: { cookie } });
  if (!probe.ok) throw new Error(`tRPC status query: HTTP ${probe.status} ${(await probe.text()).slice(0, 200)}`);

  const floor = await load(staticServer.jsonUrl);
  const health = await load(`${base}/health/exit_brain_status`);
  const status = await load(trpc, { cookie });
  const webPeak = Math.max(...rss.stop());

  // First render: navigation start -> the status banner painted, and first contentful paint.
  const { browser, ctx } = await signedInBrowser(base, cookie);
  const page = await firstRenders(ctx, `${base}/`, ["[data-testid=state-banner]"], PAGE_LOADS);
  const staticPage = await firstRenders(ctx, staticServer.pageUrl, ["h1"], PAGE_LOADS);
  await browser.close();
  console.log(`status page: navigation -> state banner visible ${fmt(page.visible)}; first byte ${fmt(page.firstByte)}; HTML done ${fmt(page.htmlDone)}; FCP ${fmt(page.fcp)}`);
  console.log(`baseline static page: -> h1 visible ${fmt(staticPage.visible)}; FCP ${fmt(staticPage.fcp)}`);
  console.log(`web peak RSS (next start and children) during the load: ${webPeak.toFixed(0)} MiB`);

  const fl = `plain node:http p99 ${floor.latency.p99} ms`;
  const ok = (r: typeof health) => r.non2xx === 0 && r.errors === 0;
  reportRow({ bench: "web", figure: `GET /health/exit_brain_status @200 rps x ${DURATION_S} s, p99`, value: ms(health.latency.p99), target: "< 20 ms", baseline: fl, ratio: ratio(health.latency.p99, Math.max(1, floor.latency.p99)), met: ok(health) && health.latency.p99 < 20 });
  reportRow({ bench: "web", figure: `tRPC health.exitBrainStatus @200 rps x ${DURATION_S} s, p99`, value: ms(status.latency.p99), target: "< 20 ms", baseline: fl, ratio: ratio(status.latency.p99, Math.max(1, floor.latency.p99)), met: ok(status) && status.latency.p99 < 20 });
  reportRow({ bench: "web", figure: "status page first render (nav -> banner), p99", value: ms(page.visible.p99), target: "< 1000 ms", baseline: `static page ${ms(staticPage.visible.p99)}`, ratio: ratio(page.visible.p99, staticPage.visible.p99), met: page.visible.p99 < 1000 });
  reportRow({ bench: "web", figure: "web peak RSS under load", value: `${webPeak.toFixed(0)} MiB`, target: "report", baseline: "-", ratio: "-", met: null });
} finally {
  for (const p of procs.reverse()) await p.stop();
  staticServer.close();
  await sim.close();
  await bench.drop();
}
