import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { createDb } from "../db/client";
import { loadOrCreateAuthSecret } from "./auth-secret";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("secret");
});
afterAll(async () => t?.drop());

describe("loadOrCreateAuthSecret", () => {
  it("generates one strong secret that every process and every restart agrees on", async () => {
    const other = createDb(t.url, { max: 2 });
    try {
      const [a, b] = await Promise.all([loadOrCreateAuthSecret(t.db), loadOrCreateAuthSecret(other)]);
      expect(a).toBe(b);
      expect(a.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
      expect(await loadOrCreateAuthSecret(t.db)).toBe(a);
      expect(await t.db.authSecret.count()).toBe(1);
    } finally {
      await other.$disconnect();
    }
  });
});
