// Every page at desktop and phone size, saved to e2e-artifacts/ for a human to look at; also
// checks nothing overflows the viewport horizontally. Runs after the other areas (file order),
// so the pages show what the worker and the earlier tests produced; nothing is seeded.
import { expect, test } from "@playwright/test";
import { signIn } from "../support/sign-in";

const PAGES = [
  { path: "/", name: "status", ready: "state-banner" },
  { path: "/controls", name: "controls", ready: "readiness" },
  { path: "/shadow", name: "shadow", ready: "chart-over-time" },
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
      // Two frames: charts measure their container, then draw; the picture should show them drawn.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${p.path} overflows horizontally by ${overflow}px at ${vp.name} size`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `e2e-artifacts/${p.name}-${vp.name}.png`, fullPage: true });
    }
  });
}
