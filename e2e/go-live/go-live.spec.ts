import { expect, test } from "@playwright/test";
import { cli, ensureUser, setShadowViaCli, sql } from "../support/product";
import { signIn } from "../support/sign-in";

test("[GO_LIVE] an operator goes LIVE only after typing the phrase and a reason; unmet readiness is listed", async ({ page }) => {
  // Step 3 is offered from the runbook's dry run (Step 2): executor LIVE, rollout DISABLED.
  setShadowViaCli();
  cli("set", "EXIT_EXECUTOR_MODE=LIVE", "--reason", "e2e: arrange the dry run", "--actor", "e2e-setup");
  await signIn(page);
  await page.goto("/controls");
  const panel = page.getByTestId("go-live");
  await expect(page.getByTestId("state-banner")).toHaveAttribute("data-state", "EXIT_BRAIN_V3_SHADOW");
  await expect(page.getByTestId("armed-banner")).toHaveAttribute("data-armed-by", "EXIT_BRAIN_V3_LIVE_ROLLOUT");
  await expect(page.getByTestId("readiness")).toBeVisible();
  await expect(panel.getByTestId("go-live-unmet")).toContainText("not met");
  const submit = panel.getByTestId("go-live-submit");
  await expect(submit).toBeDisabled();

  await panel.getByLabel("Reason (required, goes to the audit trail)").fill("e2e: shadow looked fine");
  await panel.getByLabel("Confirmation phrase").fill("go live");
  await expect(submit).toBeDisabled();
  await panel.getByLabel("Confirmation phrase").fill("GO LIVE");
  await expect(submit).toBeEnabled();
  await submit.click();

  await expect(page.getByTestId("state-banner")).toHaveAttribute("data-state", "EXIT_BRAIN_V3_LIVE", { timeout: 2000 });
  await expect(page.getByTestId("go-live-result")).toContainText(/State is now EXIT_BRAIN_V3_LIVE .*⚠ /s);
  const [row] = await sql<{ actor: string; source: string; reason: string }>("SELECT actor, source, reason FROM toggle_audit ORDER BY id DESC LIMIT 1");
  expect(row).toMatchObject({ actor: "admin@localhost", source: "dashboard", reason: "e2e: shadow looked fine" });

  // Rolling back is one click and needs no approval.
  await page.getByTestId("rollback-legacy").first().click();
  await page.getByTestId("rollback-legacy-dialog").getByRole("button", { name: "Roll back now" }).click();
  await expect(page.getByTestId("state-banner")).toHaveAttribute("data-state", "LEGACY", { timeout: 1000 });
});

test("[GO_LIVE] a LIVE request from one operator is approved by a different one in the UI", async ({ browser, page }) => {
  setShadowViaCli();
  const other = ensureUser("operator2-e2e@example.com", "operator", "operator2-e2e-password");
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  await signIn(otherPage, other);
  // This deployment runs without REQUIRE_LIVE_APPROVAL, but asking for a second pair of eyes is always allowed.
  const req = await otherPage.request.post("/api/trpc/toggles.requestLive", { data: { json: { confirmation: "GO LIVE", reason: "e2e: four eyes" } } });
  expect(req.status()).toBe(200);
  const id = ((await req.json()) as { result: { data: { json: { id: number } } } }).result.data.json.id;

  await otherPage.goto("/controls");
  const ownRow = otherPage.getByTestId(`live-request-${id}`);
  await expect(ownRow).toContainText("waiting for another operator");
  await expect(ownRow.getByRole("button", { name: "Approve" })).toHaveCount(0);

  await signIn(page);
  await page.goto("/controls");
  const row = page.getByTestId(`live-request-${id}`);
  await expect(row).toContainText("operator2-e2e@example.com");
  await row.getByRole("button", { name: "Approve" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Approve: go LIVE now" }).click();
  await expect(page.getByTestId("state-banner")).toHaveAttribute("data-state", "EXIT_BRAIN_V3_LIVE", { timeout: 2000 });
  await expect(row).toContainText("approved");
  await expect(otherPage.getByTestId("state-banner")).toHaveAttribute("data-state", "EXIT_BRAIN_V3_LIVE", { timeout: 2000 });
  const [audit] = await sql<{ actor: string; reason: string }>("SELECT actor, reason FROM toggle_audit ORDER BY id DESC LIMIT 1");
  expect(audit?.actor).toBe("admin@localhost");
  expect(audit?.reason).toContain(`LIVE request #${id} by operator2-e2e@example.com approved by admin@localhost`);

  await page.getByTestId("kill-switch").click();
  await page.getByTestId("kill-switch-dialog").getByRole("button", { name: "Kill switch now" }).click();
  await expect(page.getByTestId("state-banner")).toHaveAttribute("data-state", "EXIT_BRAIN_V3_SHADOW", { timeout: 1000 });
  await otherContext.close();
});
