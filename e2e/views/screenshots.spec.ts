// Every page at desktop and phone size, saved to e2e-artifacts/ for a human to look at; also
// checks nothing overflows the viewport horizontally. Runs after the other areas (file order),
// so the pages show what the worker and the earlier tests produced; nothing is seeded for the
// screenshots. After them, the one-clock test (issue 16) seeds one closed, shadowed position.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { sql } from "../support/product";
import { signIn } from "../support/sign-in";

// `drawn`: a chart loaded after hydration (recharts, its own chunk) that the picture must show drawn.
const PAGES = [
  { path: "/", name: "status", ready: "state-banner", drawn: "chart-orders-module" },
  { path: "/controls", name: "controls", ready: "readiness" },
  { path: "/shadow", name: "shadow", ready: "chart-over-time", drawn: "chart-over-time" },
  { path: "/orders", name: "orders", ready: "orders-table" },
  { path: "/audit", name: "audit", ready: "audit-table" },
  { path: "/settings", name: "settings", ready: "notification-settings" },
] as const;

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

for (const vp of VIEWPORTS) {
  test(`[PAGES] every page renders at ${vp.name} size (${vp.width}x${vp.height}) without horizontal overflow`, async ({ page }) => {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await signIn(page);
    for (const p of PAGES) {
      await page.goto(p.path);
      await expect(page.getByTestId(p.ready).first()).toBeVisible({ timeout: 10_000 });
      if ("drawn" in p) await expect(page.getByTestId(p.drawn).locator(".recharts-surface").first()).toBeVisible({ timeout: 10_000 });
      // Two frames: charts measure their container, then draw; the picture should show them drawn.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${p.path} overflows horizontally by ${overflow}px at ${vp.name} size`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `e2e-artifacts/${p.name}-${vp.name}.png`, fullPage: true });
    }
  });
}

// One clock (issue 16): every time shown carries its zone, UTC until the user picks another in
// the user menu; simulator time is labelled as such; uPnL in money and % of entry. The browser
// runs in Asia/Tokyo, so the picker offers that zone ("this browser") next to UTC; its short name
// is "GMT+9" (ICU may say "JST"), with no daylight saving to make the test depend on the date.
const UTC_LABEL = /^(sim )?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;
const TOKYO_LABEL = /^(sim )?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (GMT\+9|JST)$/;
const CLOSED_SYMBOL = "TZCLOCKUSDT";

/** Every <time> the page shows (TimeText renders them all) carries the zone's label. */
async function everyTimeIn(page: Page, label: RegExp, where: string): Promise<void> {
  const texts = await page.locator("time").allInnerTexts();
  for (const t of texts) expect(t.trim(), `a time on ${where} without the expected zone`).toMatch(label);
}

/** The Status page's "Placed, by module" axis: each tick is a time with its zone (e.g. "18:05 UTC"). */
async function axisTicks(page: Page): Promise<Locator> {
  const ticks = page.getByTestId("chart-orders-module").locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value");
  // The worker's orders since the product started are in the default range (last hour).
  await expect(ticks.first()).toBeVisible({ timeout: 30_000 });
  return ticks;
}

test.describe("[CLOCK] one clock", () => {
  test.use({ timezoneId: "Asia/Tokyo" });

  test.beforeAll(async () => {
    // A position closed while Exit Brain shadowed it (its one decision and its comparison): the
    // position page says when it closed, on the simulator's clock. Seeded once for both sizes.
    const closedAt = new Date(Date.now() - 3_600_000);
    const key = `${CLOSED_SYMBOL}:long:${closedAt.getTime() - 7_200_000}`;
    await sql(`DELETE FROM shadow_comparison WHERE symbol = $1`, [CLOSED_SYMBOL]);
    await sql(
      `INSERT INTO shadow_decision (at, position_key, symbol, side, size, entry_price, mark_price, pnl_pct, decision_type, confidence, reason, mode)
       VALUES (now() - interval '2 hours', $1, $2, 'long', 1, 10, 10, 0, 'hold', 0.5, 'e2e: one clock', 'SHADOW')`,
      [key, CLOSED_SYMBOL],
    );
    await sql(
      `INSERT INTO shadow_comparison (position_key, symbol, side, size, entry_price, opened_at, closed_at, legacy_return_pct, brain_return_pct, legacy_exit, brain_exit, decisions)
       VALUES ($1, $2, 'long', 1, 10, $3::timestamptz - interval '2 hours', $3, 0.5, 0.7, 'tp', 'trailing stop', 1)`,
      [key, CLOSED_SYMBOL, closedAt],
    );
  });

  for (const vp of VIEWPORTS) {
    test(`[CLOCK] times carry their zone, follow the picker, simulator time is labelled; uPnL in USDT and % (${vp.name} ${vp.width}x${vp.height})`, async ({ page }) => {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await signIn(page);

      // UTC by default.
      await page.goto("/");
      await expect(page.getByTestId("orders-chart-zone")).toHaveText("wall clock (UTC)");
      await expect((await axisTicks(page)).first()).toHaveText(/^\d\d:\d\d UTC$/);
      await everyTimeIn(page, UTC_LABEL, "the Status page");
      // uPnL with its unit and % of entry, the position page's format (the demo trader keeps positions open).
      await expect(page.getByTestId("position-upnl").first()).toHaveText(/^[+-]\d+\.\d\d USDT \([+-]\d+\.\d\d% of entry\)$/, { timeout: 30_000 });

      await page.goto(`/positions/${CLOSED_SYMBOL}-long`);
      await expect(page.getByTestId("position-state")).toHaveText("closed");
      const closed = page.getByTestId("legacy-vs-brain").getByTestId("comparison");
      await expect(closed).toContainText("Closed (simulator time) sim ");
      await expect(closed.locator("time")).toHaveText(UTC_LABEL);
      await expect(closed.locator("time")).toHaveText(/^sim /);
      await everyTimeIn(page, UTC_LABEL, "the position page");

      await page.goto("/users");
      const audited = page.getByTestId("user-audit-table").locator("time");
      await expect(audited.first()).toHaveText(UTC_LABEL);
      await everyTimeIn(page, UTC_LABEL, "the Users page");

      // The user's choice: the browser's zone, from the picker in the user menu (the page reloads).
      await page.getByTestId("user-menu").locator("summary").click();
      const picker = page.getByTestId("time-zone");
      await expect(picker.locator("option", { hasText: "Asia/Tokyo" })).toHaveCount(1);
      await picker.selectOption("Asia/Tokyo");
      await expect(picker).toHaveValue("Asia/Tokyo");
      await expect(audited.first()).toHaveText(TOKYO_LABEL);
      await everyTimeIn(page, TOKYO_LABEL, "the Users page in Asia/Tokyo");
      await page.screenshot({ path: `e2e-artifacts/clock-users-tokyo-${vp.name}.png`, fullPage: true });

      await page.goto(`/positions/${CLOSED_SYMBOL}-long`);
      await expect(closed.locator("time")).toHaveText(TOKYO_LABEL);
      await expect(closed).toContainText("Closed (simulator time) sim ");
      await everyTimeIn(page, TOKYO_LABEL, "the position page in Asia/Tokyo");
      await page.screenshot({ path: `e2e-artifacts/clock-position-tokyo-${vp.name}.png`, fullPage: true });

      await page.goto("/");
      await expect(page.getByTestId("orders-chart-zone")).toHaveText("wall clock (Asia/Tokyo)");
      await expect((await axisTicks(page)).first()).toHaveText(/^\d\d:\d\d (GMT\+9|JST)$/);
      await everyTimeIn(page, TOKYO_LABEL, "the Status page in Asia/Tokyo");
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `the Status page overflows horizontally by ${overflow}px at ${vp.name} size`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `e2e-artifacts/clock-status-tokyo-${vp.name}.png`, fullPage: true });
    });
  }
});
