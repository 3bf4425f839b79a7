import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { auditCount, ensureUser, setLiveViaCli, sql } from "../support/product";
import { signIn } from "../support/sign-in";

const viewer = () => ensureUser("viewer-e2e@example.com", "viewer", "viewer-e2e-password");

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** The operator's way: the top bar's KILL SWITCH, a reason in its dialog, "Kill switch now". */
async function killFromTopBar(page: Page, reason: string): Promise<void> {
  await page.locator("header.topbar").getByTestId("kill-switch").click();
  const dialog = page.getByTestId("kill-switch-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Reason (optional)").fill(reason);
  await dialog.getByRole("button", { name: "Kill switch now" }).click();
}

async function topBarHeight(page: Page): Promise<number> {
  const box = await page.locator("header.topbar").boundingBox();
  if (!box) throw new Error("the top bar is not rendered");
  return box.height;
}

test("[KILL_SWITCH] a viewer sees no kill switch and the API refuses its mutation", async ({ page }) => {
  const creds = viewer();
  await signIn(page, creds);
  await page.goto("/");
  await expect(page.getByTestId("state-banner")).toBeVisible();
  await expect(page.getByTestId("user-role")).toHaveText("viewer");
  await expect(page.getByTestId("kill-switch")).toHaveCount(0);
  await expect(page.getByTestId("rollback-shadow")).toHaveCount(0);
  const before = await auditCount();
  const r = await page.request.post("/api/trpc/toggles.killSwitch", { data: { json: { reason: "viewer tries" } } });
  expect(r.status()).toBe(403);
  expect(await r.text()).toMatch(/needs the operator role/);
  expect(await auditCount()).toBe(before);
});

test("[KILL_SWITCH] an operator's kill switch flips the page, the health endpoint and the worker to SHADOW within a second, with one audit row", async ({ page }) => {
  setLiveViaCli();
  await signIn(page);
  await page.goto("/");
  const banner = page.getByTestId("state-banner");
  await expect(banner).toHaveAttribute("data-state", "EXIT_BRAIN_V3_LIVE", { timeout: 5000 });
  const before = await auditCount();

  await killFromTopBar(page, "e2e: spike in exits");

  // The functional requirement: SHADOW within a second, on the page and on the public endpoint.
  await expect(banner).toHaveAttribute("data-state", "EXIT_BRAIN_V3_SHADOW", { timeout: 1000 });
  await expect
    .poll(async () => ((await (await page.request.get("/health/exit_brain_status")).json()) as { operational_state: string }).operational_state, { timeout: 1000, intervals: [100] })
    .toBe("EXIT_BRAIN_V3_SHADOW");

  const rows = await sql<{ actor: string; source: string; reason: string; state_after: string; version_after: string }>(
    "SELECT actor, source, reason, state_after, version_after::text FROM toggle_audit ORDER BY id DESC LIMIT 1",
  );
  expect(await auditCount()).toBe(before + 1);
  expect(rows[0]).toMatchObject({ actor: "admin@localhost", source: "dashboard", reason: "Kill switch (Rollback A): e2e: spike in exits", state_after: "EXIT_BRAIN_V3_SHADOW" });

  // The worker hears it too (NOTIFY): its log names the new version in SHADOW.
  const line = `version ${rows[0]!.version_after}, state EXIT_BRAIN_V3_SHADOW`;
  await expect.poll(() => readFileSync("e2e-artifacts/exit_brain.log", "utf8").includes(line), { timeout: 1000, intervals: [100] }).toBe(true);

  await page.goto("/audit");
  await expect(page.getByTestId("audit-row").first()).toContainText("Kill switch (Rollback A): e2e: spike in exits");
});

test("[KILL_SWITCH] the top bar's kill switch answers with a clear result that leaves the bar as it was, at both sizes", async ({ page }) => {
  await signIn(page);
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    setLiveViaCli();
    await page.goto("/");
    const banner = page.getByTestId("state-banner");
    await expect(banner).toHaveAttribute("data-state", "EXIT_BRAIN_V3_LIVE", { timeout: 5000 });
    const before = await topBarHeight(page);

    const reason = `e2e: kill switch at ${vp.name} size`;
    await killFromTopBar(page, reason);
    await expect(banner).toHaveAttribute("data-state", "EXIT_BRAIN_V3_SHADOW", { timeout: 5000 });
    // This kill switch's own audit row, found by its reason: the banner can say SHADOW from a
    // status read before the row is visible here, so "the latest row" raced (seen in a full run).
    let row: { id: string; version: string } | undefined;
    await expect
      .poll(async () => {
        [row] = await sql<{ id: string; version: string }>("SELECT id::text, version_after::text AS version FROM toggle_audit WHERE reason = $1", [`Kill switch (Rollback A): ${reason}`]);
        return row !== undefined;
      }, { timeout: 5000, intervals: [100] })
      .toBe(true);
    const { id, version } = row!;

    // The result says in words what happened: which action, the state it left, the version and
    // its audit row, and (once the worker's heartbeat reports the version) that the worker follows.
    const done = page.getByTestId("kill-switch-done");
    await expect(done).toBeVisible();
    await expect(done).toHaveAttribute("role", "status");
    await expect(done).toContainText(`Kill switch (Rollback A): Committed in`);
    await expect(done).toContainText(`state is now SHADOW, version ${version} (audit #${id})`);
    await expect(done).toContainText("Worker confirmed: SHADOW.", { timeout: 5000 });

    // It is not a pill inside the bar: the bar keeps its height (one line at 1280 px; on a phone
    // the bar already wraps its nav, and it must not grow further), and the result lies inside
    // the viewport, not off to the side.
    expect(await topBarHeight(page), `the top bar's height at ${vp.name} size after the kill switch`).toBe(before);
    if (vp.name === "desktop") {
      const kill = await page.locator("header.topbar").getByTestId("kill-switch").boundingBox();
      const brand = await page.locator("header.topbar .brand").boundingBox();
      expect(Math.abs(kill!.y + kill!.height / 2 - (brand!.y + brand!.height / 2)), "the kill switch shares the brand's line").toBeLessThan(brand!.height);
    }
    // Nor does it cover the bar (its nav, the worker's badge, the user menu stay readable): it
    // lies wholly below the bar and inside the viewport.
    const box = (await done.boundingBox())!;
    const bar = (await page.locator("header.topbar").boundingBox())!;
    expect(box.y, `the result covers the top bar at ${vp.name} size`).toBeGreaterThanOrEqual(bar.y + bar.height);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(vp.width);
    expect(box.y + box.height).toBeLessThanOrEqual(vp.height);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `the page overflows horizontally by ${overflow}px at ${vp.name} size`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `e2e-artifacts/kill-switch-result-${vp.name}.png` });

    // Dismissed, it is gone and the bar is still the same.
    await done.getByRole("button", { name: "Dismiss" }).click();
    await expect(done).toHaveCount(0);
    expect(await topBarHeight(page)).toBe(before);
  }
});
