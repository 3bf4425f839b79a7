// What the web benchmarks (web, cockpit-pages, signin-flood) share: signing in over next-auth's
// credentials endpoint, a static page to measure against (a plain node:http server), and timing
// first renders in Debian's Chromium, split into what the server took and what the browser did.
import { spawn } from "node:child_process";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { SECURITY_HEADERS } from "../../src/server/auth/security-headers.js";
import { nowMs, summarize, type Summary } from "./stats";

/** Signs in with email and password; the session cookie as `name=value`. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("next-auth.session-token"));
  if (!session) throw new Error(`sign-in as ${email} failed: HTTP ${res.status}`);
  return session;
}

export interface StaticServer {
  /**
   * A static HTML page (an h1) with the security headers the product sends on every page: the floor
   * a first render is measured against. The headers are part of the floor: Cross-Origin-Opener-
   * Policy makes Chromium open a page in a fresh tab in a new browsing context group (~0.2 s on this
   * machine), which every page of the product pays and a bare static page would not.
   */
  pageUrl: string;
  /** A fixed JSON answer: the floor for request latency under load. */
  jsonUrl: string;
  close(): void;
}

/** A plain node:http server in its own process, so its work never shows as this process's latency. */
export async function startStaticServer(): Promise<StaticServer> {
  const headers = JSON.stringify(Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key, h.value])));
  const child = spawn(process.execPath, ["-e", `
    const headers = ${headers};
    const body = JSON.stringify({ status: "ok", padding: "x".repeat(1500) });
    const html = '<!doctype html><html><body><h1 elementtiming="static">static</h1></body></html>';
    require("node:http").createServer((q, s) => { if (q.url === "/json") { s.setHeader("content-type", "application/json"); s.end(body); } else { for (const [k, v] of Object.entries(headers)) s.setHeader(k, v); s.setHeader("content-type", "text/html"); s.end(html); } })
      .listen(0, "127.0.0.1", function () { console.log(this.address().port); });`], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  return { pageUrl: `http://127.0.0.1:${port}/page`, jsonUrl: `http://127.0.0.1:${port}/json`, close: () => void child.kill() };
}

/** Chromium (Debian's) with the session cookie for `base` set; 1280×800 unless told. */
export async function signedInBrowser(base: string, cookie: string, viewport = { width: 1280, height: 800 }): Promise<{ browser: Browser; ctx: BrowserContext }> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  const [name, value] = cookie.split("=") as [string, string];
  const ctx = await browser.newContext({ viewport });
  await ctx.addCookies([{ name, value, url: base }]);
  return { browser, ctx };
}

export interface FirstRenders {
  /**
   * Navigation start -> every selector visible ("drawn"). Playwright checks visibility with a script
   * on the page's main thread, so this answers only once hydration yields the thread, even when the
   * data was painted earlier.
   */
  visible: Summary;
  /**
   * Navigation start -> the page's data painted ("data painted"): the latest of the first paints of
   * the `paints` elements (Element Timing's renderTime, `elementtiming="<id>"` on the element that
   * carries the data), i.e. when the user sees it, whatever the main thread does afterwards.
   * Empty when no `paints` were given.
   */
  dataPainted: Summary;
  /** Loads where some `paints` element reported no paint (its figure is left out of dataPainted). */
  unpainted: number;
  /** First contentful paint. */
  fcp: Summary;
  /** Navigation start -> first byte of the HTML: the server's time before it starts answering. */
  firstByte: Summary;
  /** Navigation start -> the last byte of the HTML (a streamed page ends when its data is in). */
  htmlDone: Summary;
}

/**
 * `loads` first renders of `url` (after one warm-up load, which fills Next's route cache):
 * navigation start -> all `selectors` visible, with the browser's own timings beside it. Each in a
 * fresh tab, or, with `from`, in a tab first showing `from` (another page of the same site, as when
 * an operator follows the top bar's links: no new browsing context group to set up).
 * The split says where the time goes: up to htmlDone the server, after it the browser (scripts,
 * hydration, any request the page makes after hydration).
 */
export async function firstRenders(ctx: BrowserContext, url: string, selectors: string[], loads: number, paints: string[] = [], opts: { from?: string } = {}): Promise<FirstRenders> {
  const visible: number[] = [];
  const dataPainted: number[] = [];
  let unpainted = 0;
  const fcp: number[] = [];
  const firstByte: number[] = [];
  const htmlDone: number[] = [];
  for (let i = 0; i < loads + 1; i++) {
    const page = await ctx.newPage();
    // Before any of the page's own scripts: collect Element Timing entries (buffered: the ones
    // painted before the observer existed are delivered too).
    await page.addInitScript(() => {
      const w = window as unknown as { __ebPaints: Record<string, number> };
      w.__ebPaints = {};
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { identifier: string; renderTime: number; loadTime: number })[]) {
          const at = e.renderTime || e.loadTime;
          w.__ebPaints[e.identifier] = Math.min(w.__ebPaints[e.identifier] ?? Infinity, at);
        }
      }).observe({ type: "element", buffered: true });
    });
    if (opts.from) await page.goto(opts.from, { waitUntil: "load" });
    const t0 = nowMs();
    await page.goto(url, { waitUntil: "commit" });
    for (const s of selectors) await page.locator(s).first().waitFor({ state: "visible", timeout: 30_000 });
    const took = nowMs() - t0;
    await page.waitForLoadState("load"); // the navigation entry is complete only then (not part of the figure)
    // Visible (layout) can come before the frame that shows it is presented, and Element Timing and
    // FCP are reported only after that: reading them at once lost loads whose paint was still on its
    // way (most of a static page's loads from another page in the tab). Wait for them (not part of
    // the figure either); a load that still has none after 5 s counts as unpainted.
    await page.waitForFunction((ids) => {
      const painted = (window as unknown as { __ebPaints?: Record<string, number> }).__ebPaints ?? {};
      return performance.getEntriesByName("first-contentful-paint").length > 0 && ids.every((id) => id in painted);
    }, paints, { timeout: 5_000, polling: 50 }).catch(() => undefined);
    const t = await page.evaluate((ids) => {
      const painted = (window as unknown as { __ebPaints?: Record<string, number> }).__ebPaints ?? {};
      const times = ids.map((id) => painted[id] ?? NaN);
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      return {
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
        firstByte: nav?.responseStart ?? NaN,
        htmlDone: nav && nav.responseEnd > 0 ? nav.responseEnd : NaN,
        dataPainted: times.length === 0 || times.some((x) => !Number.isFinite(x)) ? NaN : Math.max(...times),
      };
    }, paints);
    if (i > 0) {
      visible.push(took);
      if (paints.length > 0 && !Number.isFinite(t.dataPainted)) unpainted++;
      dataPainted.push(t.dataPainted);
      fcp.push(t.fcp);
      firstByte.push(t.firstByte);
      htmlDone.push(t.htmlDone);
    }
    await page.close();
  }
  const finite = (xs: number[]) => summarize(xs.filter(Number.isFinite));
  return { visible: summarize(visible), dataPainted: finite(dataPainted), unpainted, fcp: finite(fcp), firstByte: finite(firstByte), htmlDone: finite(htmlDone) };
}
