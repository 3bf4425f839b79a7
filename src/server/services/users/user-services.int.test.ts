// User services against a real PostgreSQL: add/list/set-role/reset-password, sign-in
// verification with the database-backed rate limit, and the session user lookup.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { AppError } from "../../errors";
import { addUser } from "./add-user";
import { listUsers } from "./list-users";
import { loadSessionUser } from "./load-session-user";
import { resetUserPassword } from "./reset-user-password";
import { setUserRole } from "./set-user-role";
import { verifyLogin } from "./verify-login";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("users");
});
afterAll(async () => t?.drop());

async function expectAppError(p: Promise<unknown>, code: AppError["code"], message: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).message).toMatch(message);
}

describe("addUser / listUsers", () => {
  it("stores a lower-cased email, the role, and a scrypt hash — never returned", async () => {
    const u = await addUser(t.db, { email: "  Alice@Example.COM ", role: "operator", password: "alice-password-1" });
    expect(u).toMatchObject({ email: "alice@example.com", role: "operator", disabled: false, name: null });
    expect(u).not.toHaveProperty("passwordHash");
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain("alice-password-1");
    const all = await listUsers(t.db);
    expect(all.map((x) => x.email)).toContain("alice@example.com");
    for (const x of all) expect(x).not.toHaveProperty("passwordHash");
  });

  it("refuses a duplicate email (any case) with CONFLICT", async () => {
    await expectAppError(addUser(t.db, { email: "ALICE@example.com", role: "viewer", password: "whatever-123" }), "CONFLICT", /already exists/);
  });

  it("refuses a short password and a malformed email with BAD_REQUEST naming the problem", async () => {
    await expectAppError(addUser(t.db, { email: "new@example.com", role: "viewer", password: "short" }), "BAD_REQUEST", /at least 8/);
    await expectAppError(addUser(t.db, { email: "not-an-email", role: "viewer", password: "long-enough-1" }), "BAD_REQUEST", /email/);
  });

  it("the database itself refuses a mixed-case email (CHECK constraint)", async () => {
    await expect(
      t.db.$executeRawUnsafe(`INSERT INTO app_user (email, password_hash) VALUES ('Upper@Example.com', 'x')`),
    ).rejects.toThrow(/app_user_email_lower/);
  });
});

describe("setUserRole", () => {
  it("changes a role and refuses to demote the last admin", async () => {
    await addUser(t.db, { email: "root@example.com", role: "admin", password: "root-password-1" });
    // alice is operator, root the only admin
    await expectAppError(setUserRole(t.db, { email: "root@example.com", role: "viewer" }), "PRECONDITION_FAILED", /only admin/);
    const promoted = await setUserRole(t.db, { email: "alice@example.com", role: "admin" });
    expect(promoted.role).toBe("admin");
    const demoted = await setUserRole(t.db, { email: "root@example.com", role: "operator" });
    expect(demoted.role).toBe("operator");
    await expectAppError(setUserRole(t.db, { email: "ghost@example.com", role: "viewer" }), "NOT_FOUND", /No user/);
  });

  it("two admins demoting each other at once leaves one admin", async () => {
    await setUserRole(t.db, { email: "root@example.com", role: "admin" }); // alice + root are admins
    const results = await Promise.allSettled([
      setUserRole(t.db, { email: "root@example.com", role: "viewer" }),
      setUserRole(t.db, { email: "alice@example.com", role: "viewer" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count({ where: { role: "admin" } })).toBe(1);
  });
});

describe("resetUserPassword + verifyLogin", () => {
  const ip = "10.0.0.1";
  it("a reset password signs in; the old one no longer does", async () => {
    await addUser(t.db, { email: "carol@example.com", role: "viewer", password: "carol-old-pass" });
    await resetUserPassword(t.db, { email: "carol@example.com", password: "carol-new-pass" });
    expect(await verifyLogin(t.db, { email: "carol@example.com", password: "carol-old-pass", ip })).toEqual({ ok: false, reason: "invalid" });
    const ok = await verifyLogin(t.db, { email: "CAROL@example.com", password: "carol-new-pass", ip });
    expect(ok).toMatchObject({ ok: true, user: { email: "carol@example.com", role: "viewer" } });
  });

  it("a generated password is returned once and works", async () => {
    const r = await resetUserPassword(t.db, { email: "carol@example.com" });
    expect(r.generatedPassword).toHaveLength(24);
    expect(await verifyLogin(t.db, { email: "carol@example.com", password: r.generatedPassword ?? "", ip })).toMatchObject({ ok: true });
  });

  it("an unknown email fails like a wrong password", async () => {
    expect(await verifyLogin(t.db, { email: "nobody@example.com", password: "whatever-1", ip })).toEqual({ ok: false, reason: "invalid" });
  });

  it("a disabled account is refused even with the right password", async () => {
    await addUser(t.db, { email: "dave@example.com", role: "operator", password: "dave-password" });
    await t.db.user.update({ where: { email: "dave@example.com" }, data: { disabled: true } });
    expect(await verifyLogin(t.db, { email: "dave@example.com", password: "dave-password", ip })).toEqual({ ok: false, reason: "disabled" });
    const row = await t.db.user.findUniqueOrThrow({ where: { email: "dave@example.com" } });
    expect(await loadSessionUser(t.db, row.id, row.sessionVersion)).toBeNull();
  });
});

describe("sign-in delay (shared through PostgreSQL)", () => {
  const limits = { account: { free: 3, baseMs: 10_000, maxMs: 40_000, windowMs: 60_000 }, address: { free: 5, baseMs: 10_000, maxMs: 60_000, windowMs: 60_000 } };
  const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));

  it("after max failures an address waits (even with the right password), is told how long, then gets in", async () => {
    await addUser(t.db, { email: "erin@example.com", role: "viewer", password: "erin-password" });
    for (let i = 0; i < 3; i++) {
      const r = await verifyLogin(t.db, { email: "erin@example.com", password: "wrong", ip: "10.1.0.1" }, { now: at(i), limits });
      expect(r).toEqual({ ok: false, reason: "invalid" });
    }
    // third failure at 2 s: the next attempt from this address may come at 2 + 10 s
    const early = verifyLogin(t.db, { email: "erin@example.com", password: "erin-password", ip: "10.1.0.1" }, { now: at(5), limits });
    await expectAppError(early, "TOO_MANY_REQUESTS", /^Too many attempts, try again in 7 s\.$/);
    expect(await verifyLogin(t.db, { email: "erin@example.com", password: "erin-password", ip: "10.1.0.1" }, { now: at(12), limits })).toMatchObject({ ok: true });
    expect(await t.db.loginFailure.count({ where: { email: "erin@example.com" } })).toBe(0);
  });

  it("slows one address trying many accounts", async () => {
    for (let i = 0; i < 5; i++) {
      await verifyLogin(t.db, { email: `spray${i}@example.com`, password: "guess", ip: "192.0.2.7" }, { now: at(100 + i), limits });
    }
    await expectAppError(
      verifyLogin(t.db, { email: "carol@example.com", password: "anything", ip: "192.0.2.7" }, { now: at(110), limits }),
      "TOO_MANY_REQUESTS",
      /try again in 4 s/,
    );
    // another address is unaffected
    expect(await verifyLogin(t.db, { email: "spray0@example.com", password: "guess", ip: "192.0.2.8" }, { now: at(110), limits })).toEqual({ ok: false, reason: "invalid" });
  });

  it("resetting the password clears the delay", async () => {
    for (let i = 0; i < 3; i++) await verifyLogin(t.db, { email: "erin@example.com", password: "bad", ip: "10.2.0.1" }, { now: at(200 + i), limits });
    await expectAppError(verifyLogin(t.db, { email: "erin@example.com", password: "bad", ip: "10.2.0.1" }, { now: at(203), limits }), "TOO_MANY_REQUESTS", /try again/);
    await resetUserPassword(t.db, { email: "erin@example.com", password: "erin-password-2" });
    expect(await verifyLogin(t.db, { email: "erin@example.com", password: "erin-password-2", ip: "10.2.0.1" }, { now: at(205), limits })).toMatchObject({ ok: true });
  });
});
