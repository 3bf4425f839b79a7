// First-start admin creation: idempotent, and exactly one admin when processes race.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { createDb, type Db } from "../../db/client";
import { AppError } from "../../errors";
import { ensureAdminUser } from "./ensure-admin-user";
import { verifyLogin } from "./verify-login";

let t: TestDatabase;
const extra: Db[] = [];
beforeAll(async () => {
  t = await createTestDatabase("bootstrap");
});
afterEach(async () => {
  await t.db.user.deleteMany();
});
afterAll(async () => {
  await Promise.all(extra.map((d) => d.$disconnect()));
  await t?.drop();
});

describe("ensureAdminUser", () => {
  it("creates the admin with ADMIN_PASSWORD once; later starts do nothing", async () => {
    const first = await ensureAdminUser(t.db, { email: "Admin@Localhost", password: "given-admin-pw" });
    expect(first).toEqual({ created: true, email: "admin@localhost", generatedPassword: null });
    expect(await ensureAdminUser(t.db, { email: "admin@localhost", password: "given-admin-pw" })).toEqual({ created: false });
    const users = await t.db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]?.role).toBe("admin");
    expect(await verifyLogin(t.db, { email: "admin@localhost", password: "given-admin-pw", ip: "t" })).toMatchObject({ ok: true, user: { role: "admin" } });
  });

  it("generates a password when none is configured, and it works", async () => {
    const r = await ensureAdminUser(t.db, { email: "admin@localhost" });
    if (!r.created) throw new Error("expected creation");
    expect(r.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await verifyLogin(t.db, { email: "admin@localhost", password: r.generatedPassword ?? "", ip: "t" })).toMatchObject({ ok: true });
  });

  it("does nothing when any user exists (not only an admin)", async () => {
    await t.db.user.create({ data: { email: "someone@example.com", passwordHash: "scrypt$x", role: "viewer" } });
    expect(await ensureAdminUser(t.db, { email: "admin@localhost" })).toEqual({ created: false });
    expect(await t.db.user.count()).toBe(1);
  });

  it("two processes starting at once create exactly one admin", async () => {
    const a = createDb(t.url, { max: 2 });
    const b = createDb(t.url, { max: 2 });
    extra.push(a, b);
    const results = await Promise.all([
      ensureAdminUser(a, { email: "admin@localhost" }),
      ensureAdminUser(b, { email: "admin@localhost" }),
      ensureAdminUser(t.db, { email: "admin@localhost" }),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await t.db.user.count()).toBe(1);
  });

  it("refuses a bad ADMIN_EMAIL or a too-short ADMIN_PASSWORD with a message naming the variable", async () => {
    await expect(ensureAdminUser(t.db, { email: "nope" })).rejects.toThrow(/ADMIN_EMAIL="nope"/);
    const err = await ensureAdminUser(t.db, { email: "admin@localhost", password: "123" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/ADMIN_PASSWORD/);
    expect(await t.db.user.count()).toBe(0);
  });
});
