// The shadow analysis on decisions the running worker's executor made (nothing seeded): the
// state is put in SHADOW, and the test waits for the executor's first decisions.
import { expect, test } from "@playwright/test";
import { setShadowViaCli, sql } from "../support/product";
import { signIn } from "../support/sign-in";

async function decisionCount(): Promise<number> {
  const [r] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM shadow_decision");
  return r?.n ?? 0;
}

test.beforeAll(async () => {
  setShadowViaCli();
  // One executor interval (EXIT_BRAIN_INTERVAL_S, 10 s by default) with the simulator's open positions.
  await expect.poll(decisionCount, { timeout: 45_000, intervals: [1000] }).toBeGreaterThan(0);
});

test("[SHADOW] the analysis page charts the worker's decisions: distribution, confidence, timeline, emergency exits, comparison", async ({ page }) => {
  await signIn(page);
  await page.goto("/shadow");
  for (const id of ["chart-distribution", "chart-confidence", "chart-over-time"]) {
    await expect(page.getByTestId(id).locator(".recharts-bar-rectangle").first()).toBeVisible({ timeout: 10_000 });
  }
  const types = await sql<{ decision_type: string }>("SELECT DISTINCT decision_type FROM shadow_decision ORDER BY 1");
  for (const t of types) await expect(page.getByTestId("chart-distribution")).toContainText(t.decision_type);

  const emergency = await sql<{ symbol: string }>("SELECT DISTINCT symbol FROM shadow_decision WHERE decision_type = 'full_exit_now' ORDER BY 1");
  if (emergency.length > 0) for (const e of emergency) await expect(page.getByTestId("emergency-exits")).toContainText(e.symbol);
  else await expect(page.getByTestId("emergency-exits")).toContainText("None in this range.");
  await expect(page.getByTestId("comparison")).toBeVisible();

  // Filtering by symbol narrows every aggregate to it (SQL-side).
  const [one] = await sql<{ symbol: string }>("SELECT symbol FROM shadow_decision ORDER BY symbol LIMIT 1");
  await page.getByTestId("shadow-symbol").selectOption(one!.symbol);
  const others = await sql<{ symbol: string }>("SELECT DISTINCT symbol FROM shadow_decision WHERE symbol <> $1", [one!.symbol]);
  for (const o of others) await expect(page.getByTestId("emergency-exits")).not.toContainText(o.symbol);
});

test("[SHADOW] the JSONL export has the runbook's flat keys; CSV has the same columns; both need a session", async ({ page, playwright, baseURL }) => {
  await signIn(page);
  const before = await decisionCount();
  const jsonl = await page.request.get("/api/shadow/export?format=jsonl");
  expect(jsonl.status()).toBe(200);
  const lines = (await jsonl.text()).trim().split("\n");
  // The executor keeps deciding while we export: at least what was there before.
  expect(lines.length).toBeGreaterThanOrEqual(before);
  const first = JSON.parse(lines[0]!) as Record<string, unknown>;
  for (const key of ["symbol", "side", "size", "pnl_pct", "timestamp", "mode", "decision.decision_type", "decision.confidence", "decision.reason", "decision.new_sl"]) {
    expect(Object.keys(first)).toContain(key);
  }
  expect(first.mode).toMatch(/^(SHADOW|LIVE)$/);
  const csv = await page.request.get("/api/shadow/export?format=csv");
  expect((await csv.text()).split("\n")[0]).toContain("decision.decision_type");

  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.get("/api/shadow/export?format=jsonl")).status()).toBe(401);
  await anonymous.dispose();
});
