import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { auditCount, ensureUser, setLiveViaCli, sql } from "../support/product";
import { signIn } from "../support/sign-in";

const viewer = () => ensureUser("viewer-e2e@example.com", "viewer", "viewer-e2e-password");

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

  await page.getByTestId("kill-switch").click();
  const dialog = page.getByTestId("kill-switch-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Reason (optional)").fill("e2e: spike in exits");
  await dialog.getByRole("button", { name: "Kill switch now" }).click();

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
