// The whole runbook through the dashboard alone, at desktop and phone size: LEGACY -> Step 1
// (SHADOW) -> Step 2 (dry run) -> Step 3 (LIVE) and back with Rollbacks A, B and C, each step
// offered only where it makes sense; the ARMED banner whenever one toggle change would go LIVE; a
// pending LIVE approval as a badge on every page; and the notifications of it all received by a
// webhook sink this test runs (set up by the admin on the Settings page).
import { expect, test, type Page } from "@playwright/test";
import { startWebhookServer, type WebhookServer } from "../../worker/notifications/testing/webhook-server";
import { cli, ensureUser, sql } from "../support/product";
import { signIn } from "../support/sign-in";

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

let hook: WebhookServer;
test.beforeAll(async () => {
  hook = await startWebhookServer();
});
test.afterAll(async () => hook?.close());

const texts = () => hook.bodies.map((b) => (b as { json: { text: string; event: string } }).json);

async function stateIs(page: Page, state: string, stage: string): Promise<void> {
  await expect(page.getByTestId("state-banner")).toHaveAttribute("data-state", state, { timeout: 5_000 });
  await expect(page.getByTestId("runbook-stage")).toHaveAttribute("data-stage", stage);
}

async function offered(page: Page, steps: string[], rollbacks: string[]): Promise<void> {
  for (const s of ["step1_shadow", "step2_dry_run"]) await expect(page.getByTestId(`runbook-${s}`)).toHaveCount(steps.includes(s) ? 1 : 0);
  await expect(page.getByTestId("go-live-submit")).toHaveCount(steps.includes("step3_live") ? 1 : 0);
  for (const r of ["kill-switch", "shadow", "legacy"]) await expect(page.getByTestId(`rollback-${r}`)).toHaveCount(rollbacks.includes(r) ? 1 : 0);
}

async function step(page: Page, id: "step1_shadow" | "step2_dry_run", reason: string): Promise<void> {
  const panel = page.getByTestId(`runbook-${id}`);
  await expect(panel.locator("pre.log-lines")).toContainText("[EXIT_MODE] Configuration loaded");
  await panel.getByLabel("Reason (required, goes to the audit trail)").fill(reason);
  await panel.getByTestId(`runbook-${id}-submit`).click();
}

async function goLive(page: Page, reason: string): Promise<void> {
  const panel = page.getByTestId("go-live");
  await expect(panel).toContainText("Go LIVE (Step 3)");
  await panel.getByLabel("Reason (required, goes to the audit trail)").fill(reason);
  await panel.getByLabel("Confirmation phrase").fill("GO LIVE");
  await panel.getByTestId("go-live-submit").click();
}

async function rollback(page: Page, target: "kill-switch" | "shadow" | "legacy", reason: string): Promise<void> {
  await page.getByTestId(`rollback-${target}`).click();
  const dialog = page.getByTestId(`rollback-${target}-dialog`);
  await dialog.getByLabel("Reason (optional)").fill(reason);
  await dialog.getByRole("button", { name: target === "kill-switch" ? "Kill switch now" : "Roll back now" }).click();
  await expect(dialog).toHaveCount(0);
}

for (const vp of VIEWPORTS) {
  test(`[RUNBOOK] LEGACY -> Steps 1-3 -> Rollbacks A, B, C through the dashboard alone, with notifications (${vp.name})`, async ({ page, browser }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: vp.width, height: vp.height });
    // The start of the runbook: every toggle at its safest value (arranged with the CLI: earlier tests leave any state).
    cli("set", "EXIT_MODE=LEGACY", "EXIT_EXECUTOR_MODE=SHADOW", "EXIT_BRAIN_V3_LIVE_ROLLOUT=DISABLED", "--reason", "e2e: start the runbook from LEGACY", "--actor", "e2e-setup");
    await signIn(page);

    // The admin points the notifications at this test's sink; the page never gets the URL back.
    // Settings is in the admin's user menu.
    await page.getByTestId("user-menu").locator("summary").click();
    await page.getByTestId("settings-link").click();
    await expect(page).toHaveURL(/\/settings$/);
    await page.getByTestId("webhook-url").fill(hook.url);
    await page.getByTestId("webhook-save").click();
    await expect(page.getByTestId("webhook-saved")).toHaveText("Saved.");
    await expect(page.getByTestId("webhook-current")).toContainText("http://127.0.0.1:");
    expect(await page.content()).not.toContain("secret-token");
    hook.bodies.length = 0;
    await page.getByTestId("webhook-test").click();
    await expect.poll(() => texts().map((t) => t.event), { timeout: 10_000 }).toContain("test");
    await expect(page.locator('[data-testid="delivery-row"][data-event="test"][data-status="delivered"]').first()).toBeVisible({ timeout: 10_000 });

    await page.goto("/controls");
    await stateIs(page, "LEGACY", "legacy");
    await offered(page, ["step1_shadow"], []);
    await expect(page.getByTestId("rollbacks-none")).toBeVisible();
    await expect(page.getByTestId("armed-banner")).toHaveCount(0);

    // Step 1: SHADOW
    await step(page, "step1_shadow", `e2e ${vp.name}: start shadow`);
    await stateIs(page, "EXIT_BRAIN_V3_SHADOW", "shadow");
    await offered(page, ["step2_dry_run"], ["legacy"]);
    await expect.poll(() => texts().some((t) => t.event === "toggle_change" && t.text.includes("LEGACY -> EXIT_BRAIN_V3_SHADOW") && t.text.includes(`e2e ${vp.name}: start shadow`)), { timeout: 10_000 }).toBe(true);

    // Step 2: the dry run. Same state; armed by the rollout; both cards say SHADOW.
    await step(page, "step2_dry_run", `e2e ${vp.name}: dry run`);
    await stateIs(page, "EXIT_BRAIN_V3_SHADOW", "dry_run");
    await expect(page.getByTestId("armed-banner")).toHaveAttribute("data-armed-by", "EXIT_BRAIN_V3_LIVE_ROLLOUT");
    await offered(page, ["step3_live"], ["shadow", "legacy"]);
    await page.goto("/");
    await expect(page.getByTestId("toggles-effective-mode")).toContainText("Effective mode SHADOW");
    await expect(page.getByTestId("executor-mode")).toHaveText("SHADOW", { timeout: 5_000 });
    await expect(page.getByTestId("armed-banner")).toBeVisible();

    // A LIVE request by another operator: a badge on every page until it is decided.
    const other = ensureUser("operator-runbook-e2e@example.com", "operator", "operator-runbook-e2e-password");
    const otherContext = await browser.newContext();
    const otherPage = await otherContext.newPage();
    await signIn(otherPage, other);
    const req = await otherPage.request.post("/api/trpc/toggles.requestLive", { data: { json: { confirmation: "GO LIVE", reason: `e2e ${vp.name}: four eyes` } } });
    expect(req.status()).toBe(200);
    const id = ((await req.json()) as { result: { data: { json: { id: number } } } }).result.data.json.id;
    for (const path of ["/", "/audit", "/controls"]) {
      await page.goto(path);
      await expect(page.getByTestId("approval-badge")).toHaveText(`LIVE approval pending #${id}`, { timeout: 5_000 });
    }
    await expect.poll(() => texts().some((t) => t.event === "live_request_pending" && t.text.includes(`LIVE request #${id} by ${other.email}`)), { timeout: 10_000 }).toBe(true);
    const cancelled = await otherPage.request.post("/api/trpc/toggles.cancelLive", { data: { json: { id } } });
    expect(cancelled.status()).toBe(200);
    await otherContext.close();
    await expect(page.getByTestId("approval-badge")).toHaveCount(0, { timeout: 5_000 });

    // Step 3: LIVE
    await goLive(page, `e2e ${vp.name}: go live`);
    await stateIs(page, "EXIT_BRAIN_V3_LIVE", "live");
    await expect(page.getByTestId("armed-banner")).toHaveCount(0);
    await offered(page, [], ["kill-switch", "shadow", "legacy"]);
    await expect(page.getByTestId("go-live-done")).toBeVisible();
    await expect(page.getByTestId("readiness-pill")).not.toHaveText("not ready for LIVE");
    await expect(page.getByTestId("readiness")).toContainText("While LIVE (runbook Step 3)");

    // Rollback A: back to the dry run, armed by the rollout; Step 3 offered again.
    await rollback(page, "kill-switch", `e2e ${vp.name}: A`);
    await stateIs(page, "EXIT_BRAIN_V3_SHADOW", "dry_run");
    await expect(page.getByTestId("armed-banner")).toHaveAttribute("data-armed-by", "EXIT_BRAIN_V3_LIVE_ROLLOUT");
    await expect(page.getByTestId("readiness")).toContainText("After the rollback");
    await offered(page, ["step3_live"], ["shadow", "legacy"]);

    // LIVE again, then Rollback B: SHADOW with the rollout still ENABLED -> armed by the executor mode.
    await goLive(page, `e2e ${vp.name}: live again`);
    await stateIs(page, "EXIT_BRAIN_V3_LIVE", "live");
    await rollback(page, "shadow", `e2e ${vp.name}: B`);
    await stateIs(page, "EXIT_BRAIN_V3_SHADOW", "shadow");
    await expect(page.getByTestId("armed-banner")).toHaveAttribute("data-armed-by", "EXIT_EXECUTOR_MODE");
    await offered(page, ["step2_dry_run"], ["kill-switch", "legacy"]);

    // Step 2 disarms the rollout first (it stays a dry run), Step 3 goes LIVE, then Rollback C.
    await step(page, "step2_dry_run", `e2e ${vp.name}: dry run again`);
    await stateIs(page, "EXIT_BRAIN_V3_SHADOW", "dry_run");
    await goLive(page, `e2e ${vp.name}: live for C`);
    await stateIs(page, "EXIT_BRAIN_V3_LIVE", "live");
    await rollback(page, "legacy", `e2e ${vp.name}: C`);
    await stateIs(page, "LEGACY", "legacy");
    // The stored toggles stay LIVE + ENABLED: one change of EXIT_MODE would go LIVE.
    await expect(page.getByTestId("armed-banner")).toHaveAttribute("data-armed-by", "EXIT_MODE");
    await offered(page, ["step1_shadow"], ["kill-switch", "shadow"]);
    // Disarm with the offered rollbacks: nothing left to roll back, nothing armed.
    await rollback(page, "kill-switch", `e2e ${vp.name}: disarm`);
    await rollback(page, "shadow", `e2e ${vp.name}: disarm`);
    await expect(page.getByTestId("armed-banner")).toHaveCount(0);
    await expect(page.getByTestId("rollbacks-none")).toBeVisible();

    // The trail and the notifications.
    const audit = await sql<{ reason: string }>("SELECT reason FROM toggle_audit WHERE reason LIKE $1 ORDER BY id", [`%e2e ${vp.name}:%`]);
    expect(audit.map((r) => r.reason)).toEqual([
      `e2e ${vp.name}: start shadow`, `e2e ${vp.name}: dry run`, `e2e ${vp.name}: go live`, `Kill switch (Rollback A): e2e ${vp.name}: A`,
      `e2e ${vp.name}: live again`, `Rollback B: back to SHADOW: e2e ${vp.name}: B`, `e2e ${vp.name}: dry run again`, `e2e ${vp.name}: live for C`,
      `Rollback C: back to LEGACY: e2e ${vp.name}: C`, `Kill switch (Rollback A): e2e ${vp.name}: disarm`, `Rollback B: back to SHADOW: e2e ${vp.name}: disarm`,
    ]);
    await expect.poll(() => texts().filter((t) => t.text.includes(`e2e ${vp.name}:`)).length, { timeout: 15_000 }).toBe(audit.length + 1);
    expect(texts().find((t) => t.text.includes(`Rollback C: back to LEGACY: e2e ${vp.name}: C`))?.text).toMatch(/^:leftwards_arrow_with_hook: Exit Brain rollback on .+: EXIT_BRAIN_V3_LIVE -> LEGACY/);
    expect(texts().find((t) => t.text.includes(`e2e ${vp.name}: go live`))?.text).toMatch(/^:red_circle: Exit Brain is LIVE on /);
  });
}

test("[RUNBOOK] a reason over the limit is counted in the form and refused by the service with a clear message", async ({ page }) => {
  cli("set", "EXIT_MODE=LEGACY", "--reason", "e2e: reason limit from LEGACY", "--actor", "e2e-setup");
  await signIn(page);
  await page.goto("/controls");
  const panel = page.getByTestId("runbook-step1_shadow");
  await panel.getByLabel("Reason (required, goes to the audit trail)").fill("x".repeat(501));
  await expect(panel.getByTestId("runbook-step1_shadow-reason-count")).toHaveText("501 / 500 — 1 too many: shorten it");
  await expect(panel.getByTestId("runbook-step1_shadow-submit")).toBeDisabled();
  // the API itself refuses it, with the limit in the message (not a silent cut)
  const r = await page.request.post("/api/trpc/toggles.set", { data: { json: { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: "y".repeat(600) } } });
  expect(r.status()).toBe(400);
  expect(await r.text()).toContain("The reason is 600 characters long; at most 500 are allowed.");
  // A reason at the limit, one unbroken word: the audit table wraps it instead of stretching the page.
  cli("set", "EXIT_MODE=EXIT_BRAIN_V3", "--reason", "w".repeat(500), "--actor", "e2e-setup");
  cli("rollback", "legacy", "--reason", "e2e: back after the long reason");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/audit");
  await expect(page.getByTestId("audit-row").nth(1)).toContainText("w".repeat(500));
  const width = await page.getByTestId("audit-table").evaluate((t) => t.getBoundingClientRect().width);
  expect(width, "the audit table is wider than the window").toBeLessThanOrEqual(1280);
});
