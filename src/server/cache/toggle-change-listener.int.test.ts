// The web status cache's invalidation: a committed toggle change reaches the listener.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { bootToggles } from "../services/toggles/boot-toggles";
import { changeToggles } from "../services/toggles/change-toggles";
import { TOGGLE_CHANNEL } from "../db/toggle-row";
import { ToggleChangeListener } from "./toggle-change-listener";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("toggle_listener");
  await bootToggles(t.db, {});
});
afterAll(async () => t?.drop());

describe("ToggleChangeListener", () => {
  it("is live once LISTEN is in place and fires on every committed toggle change", async () => {
    const l = new ToggleChangeListener(t.url, TOGGLE_CHANNEL);
    let fired = 0;
    l.onChange(() => fired++);
    l.start();
    await expect.poll(() => l.live, { timeout: 5000 }).toBe(true);
    const before = fired;
    await changeToggles(t.db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, actor: "t", source: "api", reason: "shadow", ceilings: {} });
    await expect.poll(() => fired, { timeout: 2000 }).toBeGreaterThan(before);
    await l.stop();
    expect(l.live).toBe(false);
  });
});
