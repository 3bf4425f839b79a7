// Signing in for browser tests. scripts/e2e.ts starts the product with a known first admin and
// passes the same credentials here as E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD.
import { expect, type Page } from "@playwright/test";

export interface Credentials {
  email: string;
  password: string;
}

export function adminCredentials(): Credentials {
  const email = process.env.E2E_ADMIN_EMAIL;
  const password = process.env.E2E_ADMIN_PASSWORD;
  if (!email || !password) {
    throw new Error("E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD are not set: run browser tests through `npm run test:e2e` (scripts/e2e.ts).");
  }
  return { email, password };
}

/** Fills the sign-in form without waiting for the outcome. */
export async function submitSignIn(page: Page, creds: Credentials): Promise<void> {
  if (!page.url().includes("/signin")) await page.goto("/signin");
  await page.getByLabel("Email").fill(creds.email);
  await page.getByLabel("Password").fill(creds.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in (as the bootstrap admin by default) and waits until the app shows who is signed in. */
export async function signIn(page: Page, creds: Credentials = adminCredentials()): Promise<void> {
  await page.goto("/signin");
  await submitSignIn(page, creds);
  await page.waitForURL((url) => url.pathname !== "/signin", { timeout: 15_000 });
  await expect(page.getByTestId("user-menu")).toContainText(creds.email);
}
