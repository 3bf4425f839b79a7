// Issue 16, metrics per period: the Status page's Metrics card reads the counts the way the
// runbook does. In LIVE it counts since LIVE began and says "healthy"; a legacy order placed in
// LIVE (forged here as a stored attempt: the gateway itself never lets one through) turns it into
// the runbook's red flag at once, at 1280x800 and 390x844. The lifetime block keeps every attempt.
import { expect, test } from "@playwright/test";
import { setLiveViaCli, setShadowViaCli, sql } from "../support/product";
import { signIn } from "../support/sign-in";

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;
const FORGED = "e2e-forged-legacy-live";

test.describe.configure({ mode: "serial" });

test.afterAll(async () => {
  await sql("DELETE FROM exit_order_attempt WHERE client_order_id = $1", [FORGED]);
  setShadowViaCli();
});

test("[METRICS] the Status page counts since LIVE began, healthy, and shows the red flag when a legacy order is placed in LIVE, at both sizes", async ({ page }) => {
  setLiveViaCli();
  const [{ version }] = (await sql<{ version: string }>("SELECT version::text FROM exit_toggles LIMIT 1")) as [{ version: string }];
  await signIn(page);
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await page.goto("/");
    await expect(page.getByTestId("state-banner")).toHaveAttribute("data-state", "EXIT_BRAIN_V3_LIVE", { timeout: 5000 });
    // The period is this LIVE: it starts at the toggle version that made it.
    await expect(page.getByTestId("metrics-period")).toContainText(`toggle version ${version}`);
    await expect(page.getByTestId("metrics-period")).toContainText(/Since LIVE began/);
    await expect(page.getByTestId("metrics-health")).toHaveText("healthy");
    await expect(page.getByTestId("metrics-red-flags")).toHaveCount(0);
    await expect(page.getByTestId("metrics-lifetime")).toContainText(/Lifetime: \d+ attempts/);
  }

  const lifetimeBefore = Number(/Lifetime: (\d+) attempts/.exec((await page.getByTestId("metrics-lifetime").textContent()) ?? "")?.[1]);
  await sql(
    `INSERT INTO exit_order_attempt (module, kind, symbol, side, position_side, order_type, quantity, reduce_only, client_order_id, decision_id,
       operational_state, toggle_version, verdict, ownership_conflict, outcome)
     VALUES ('position_monitor', 'sl', 'BTCUSDT', 'sell', 'long', 'STOP_MARKET', 0.01, true, $1, 'e2e-forged', 'EXIT_BRAIN_V3_LIVE', $2::bigint, 'allow', true, 'placed')`,
    [FORGED, version],
  );
  for (const vp of [...VIEWPORTS].reverse()) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await page.goto("/");
    await expect(page.getByTestId("metrics-health")).toHaveText(/^\d+ red flags?$/, { timeout: 10_000 });
    await expect(page.getByTestId("metrics-red-flags")).toContainText("legacy orders are reaching the exchange in LIVE");
    await expect(page.getByTestId("metrics-red-flags")).toContainText(/1 (legacy order\(s\) )?placed since LIVE/);
    // the lifetime block counts it too (the executor may place more meanwhile: at least one more)
    const lifetime = Number(/Lifetime: (\d+) attempts/.exec((await page.getByTestId("metrics-lifetime").textContent()) ?? "")?.[1]);
    expect(lifetime).toBeGreaterThanOrEqual(lifetimeBefore + 1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `the Status page overflows by ${overflow}px at ${vp.name} size`).toBeLessThanOrEqual(0);
    await page.getByTestId("metrics-red-flags").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `e2e-artifacts/metrics-red-flag-${vp.name}.png` });
  }
});
