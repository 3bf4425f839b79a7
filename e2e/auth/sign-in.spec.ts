import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { cli, ensureUser, sql } from "../support/product";
import { adminCredentials, signIn, submitSignIn } from "../support/sign-in";

const phone = { width: 390, height: 844 };

test("[AUTH] a page without a session redirects to the sign-in page, which is clear on desktop and phone", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("user-menu")).toHaveCount(0);
  await expect(page.getByTestId("worker-status")).toHaveCount(0);
  await page.screenshot({ path: "e2e-artifacts/auth-signin-desktop.png", fullPage: true });

  await page.setViewportSize(phone);
  await page.goto("/signin");
  const button = page.getByRole("button", { name: "Sign in" });
  await expect(button).toBeInViewport();
  const box = await page.getByLabel("Password").boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(300); // the field uses the phone's width
  await page.screenshot({ path: "e2e-artifacts/auth-signin-phone.png", fullPage: true });
});

test("[AUTH] a deep link survives sign-in (callbackUrl)", async ({ page }) => {
  await page.goto("/?from=deep-link");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F%3Ffrom%3Ddeep-link$/);
  await submitSignIn(page, adminCredentials());
  await expect(page).toHaveURL(/\/\?from=deep-link$/);
});

test("[AUTH] the bootstrap admin signs in; the session cookie is httpOnly and SameSite=Lax; sign out ends it", async ({ page, context }) => {
  const admin = adminCredentials();
  await signIn(page, admin);
  await expect(page.getByTestId("user-role")).toHaveText("admin");

  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie, "session cookie").toBeDefined();
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");

  await page.getByTestId("user-menu").locator("summary").click();
  await expect(page.getByText(`Signed in as ${admin.email}`)).toBeVisible();
  await page.screenshot({ path: "e2e-artifacts/auth-user-menu-desktop.png" });
  await page.setViewportSize(phone);
  await page.screenshot({ path: "e2e-artifacts/auth-user-menu-phone.png" });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
});

test("[AUTH] a wrong password shows an error and does not sign in", async ({ page }) => {
  await page.goto("/signin");
  await submitSignIn(page, { email: adminCredentials().email, password: "definitely-not-it" });
  await expect(page.getByTestId("signin-error")).toHaveText("Wrong email or password. Check both and try again.");
  await expect(page).toHaveURL(/\/signin/);
  await page.screenshot({ path: "e2e-artifacts/auth-signin-error-desktop.png", fullPage: true });
});

test("[AUTH] repeated failures slow the account down with a clear wait time", async ({ page }) => {
  const creds = { email: `locked-${randomBytes(3).toString("hex")}@example.com`, password: "wrong-password" };
  await page.goto("/signin");
  let message = "";
  for (let i = 0; i < 10 && !message.startsWith("Too many"); i++) {
    await submitSignIn(page, creds);
    await expect(page.getByTestId("signin-error")).toHaveText(/Wrong email or password|Too many attempts/);
    message = (await page.getByTestId("signin-error").textContent()) ?? "";
  }
  // A delay of seconds (at most 30), not a 15-minute lock.
  expect(message).toMatch(/^Too many attempts, try again in ([1-9]|[12]\d|30)\ss\.$/);
  await page.setViewportSize(phone);
  await page.screenshot({ path: "e2e-artifacts/auth-rate-limited-phone.png", fullPage: true });
  await sql("DELETE FROM login_failure WHERE email = $1", [creds.email]); // the shared address stays clean for later tests
});

test("[AUTH] the sign-in page does not show the default admin email", async ({ page }) => {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(await page.content()).not.toContain("admin@localhost");
});

test("[AUTH] a generated password must be changed at the next sign-in; the change ends the session", async ({ page }) => {
  const email = `fresh-${randomBytes(3).toString("hex")}@example.com`;
  ensureUser(email, "operator", "initial-password-1");
  const out = cli("user", "passwd", "--email", email, "--generate");
  const generated = /must be changed at the next sign-in\): (\S+)/.exec(out)?.[1];
  expect(generated, out).toBeDefined();

  await page.goto("/signin");
  await submitSignIn(page, { email, password: generated! });
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("must-change-password")).toBeVisible();
  await page.goto("/orders");
  await expect(page).toHaveURL(/\/account$/); // nothing else opens
  const refused = await page.request.post("/api/trpc/toggles.killSwitch", { data: { json: { reason: "before changing the password" } } });
  expect(refused.status()).toBe(403);
  await page.screenshot({ path: "e2e-artifacts/auth-must-change-password-desktop.png", fullPage: true });

  await page.getByLabel("Current password").fill(generated!);
  await page.getByLabel("New password", { exact: true }).fill("my-own-password-1");
  await page.getByLabel("Repeat the new password").fill("my-own-password-1");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByTestId("signin-notice")).toContainText("Your password was changed");
  await submitSignIn(page, { email, password: "my-own-password-1" });
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("user-menu")).toContainText(email);
  const audit = JSON.parse(cli("user", "audit", "--email", email, "--json")) as { action: string; actor: string }[];
  expect(audit.map((r) => r.action).slice(0, 2)).toEqual(["change_password", "reset_password"]);
  expect(audit[0]!.actor).toBe(email);
});

test("[AUTH] an admin sees users and the user audit; viewers cannot", async ({ page }) => {
  await signIn(page);
  await page.goto("/users");
  await expect(page.getByTestId("users-table")).toContainText(adminCredentials().email);
  await expect(page.getByTestId("user-audit-table")).toContainText("first admin created");
  await page.screenshot({ path: "e2e-artifacts/users-desktop.png", fullPage: true });
  await page.setViewportSize(phone);
  await page.screenshot({ path: "e2e-artifacts/users-phone.png", fullPage: true });
});

test("[AUTH] a viewer added with the CLI signs in and is shown as viewer; the API refuses it admin work", async ({ page }) => {
  const viewer = { email: `viewer-${randomBytes(3).toString("hex")}@example.com`, password: `pw-${randomBytes(6).toString("hex")}` };
  const out = execFileSync("node", ["bin/exit-brain.mjs", "user", "add", "--email", viewer.email, "--role", "viewer", "--password-stdin"], {
    input: `${viewer.password}\n`,
    encoding: "utf8",
  });
  expect(out).toContain(`added viewer ${viewer.email}`);

  await signIn(page, viewer);
  await expect(page.getByTestId("user-role")).toHaveText("viewer");
  const res = await page.request.post("/api/trpc/users.add", {
    data: { json: { email: "sneaky@example.com", role: "admin", password: "sneaky-password" } },
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("needs the admin role");
});

test("[AUTH] without a session the API answers 401, while health and metrics stay public", async ({ playwright, baseURL }) => {
  const anon = await playwright.request.newContext({ baseURL });
  const trpc = await anon.get("/api/trpc/users.me", { maxRedirects: 0 });
  expect(trpc.status()).toBe(401);
  expect(await trpc.text()).toContain("Sign in required");
  for (const path of ["/health/exit_brain_status", "/api/metrics", "/api/auth/providers"]) {
    const r = await anon.get(path, { maxRedirects: 0 });
    expect([401, 307, 308], `${path} must not require a session (got ${r.status()})`).not.toContain(r.status());
  }
  await anon.dispose();
});
