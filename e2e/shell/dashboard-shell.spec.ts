import { expect, test } from "@playwright/test";
import { signIn } from "../support/sign-in";

test("[SHELL] the dashboard loads and shows the live worker heartbeat", async ({ page }) => {
  await signIn(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Status" })).toBeVisible();
  const badge = page.getByTestId("worker-status");
  await expect(badge).toContainText(/worker: up, last beat \d+ s ago/, { timeout: 10_000 });
  await page.screenshot({ path: "e2e-artifacts/shell-desktop.png", fullPage: true });
});
