// Role checks through the real router (createCaller + createContextInner) on a real database:
// every mutation of the app is refused without a session and for a viewer; user management
// needs an admin.
import { TRPCError } from "@trpc/server";
import { trpcOutcome } from "../../../../test/trpc-outcome";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import type { Role } from "../../services/users/roles";
import type { Session } from "../../auth/session";
import { addUser } from "../../services/users/add-user";
import { appRouter } from "../root";
import { createContextInner } from "../trpc";

let t: TestDatabase;
const sessions = {} as Record<Role, Session>;

beforeAll(async () => {
  t = await createTestDatabase("usersrouter");
  for (const role of ["viewer", "operator", "admin"] as const) {
    const u = await addUser(t.db, { email: `${role}@example.com`, role, password: `${role}-password` });
    sessions[role] = { user: { id: u.id, email: u.email, name: null, role } };
  }
});
afterAll(async () => t?.drop());

const caller = (session: Session | null) => appRouter.createCaller(createContextInner({ db: t.db, session }));

const codeOf = trpcOutcome;

/** What any signed-in user may do to their own account (tested in "self-service" below). */
const SELF_SERVICE = new Set(["users.changePassword", "users.revokeMySessions"]);

/** Every mutation in the app router, by dotted path, called with dummy input. */
function mutationPaths(opts: { selfService?: boolean } = {}): string[] {
  const procs = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  return Object.entries(procs)
    .filter(([, p]) => p._def.type === "mutation")
    .map(([path]) => path)
    .filter((path) => opts.selfService !== false || !SELF_SERVICE.has(path));
}

function callByPath(session: Session | null, path: string): Promise<unknown> {
  let target: unknown = caller(session);
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)({});
}

describe("every mutation checks the role on the server", () => {
  it("the app has mutations to check", () => {
    expect(mutationPaths()).toEqual(expect.arrayContaining(["users.add", "users.setRole", "users.resetPassword"]));
  });

  it("without a session, every mutation is UNAUTHORIZED (before its input is even read)", async () => {
    for (const path of mutationPaths()) expect(`${path}: ${await codeOf(callByPath(null, path))}`).toBe(`${path}: UNAUTHORIZED`);
  });

  it("as a viewer, every mutation but self-service on their own account is FORBIDDEN", async () => {
    for (const path of mutationPaths({ selfService: false })) expect(`${path}: ${await codeOf(callByPath(sessions.viewer, path))}`).toBe(`${path}: FORBIDDEN`);
  });
});

describe("users router", () => {
  it("user management is refused to viewers and operators, with a message naming the role needed", async () => {
    for (const role of ["viewer", "operator"] as const) {
      const c = caller(sessions[role]);
      await expect(c.users.list()).rejects.toThrow(/needs the admin role; you are signed in as .* \((viewer|operator)\)/);
      expect(await codeOf(c.users.add({ email: "x@example.com", role: "viewer", password: "long-password" }))).toBe("FORBIDDEN");
      expect(await codeOf(c.users.setRole({ email: "viewer@example.com", role: "admin" }))).toBe("FORBIDDEN");
      expect(await codeOf(c.users.resetPassword({ email: "admin@example.com", password: "hijacked-pass" }))).toBe("FORBIDDEN");
    }
    expect(await t.db.user.count({ where: { email: "x@example.com" } })).toBe(0);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "viewer@example.com" } })).role).toBe("viewer");
  });

  it("an admin can list, add, set roles and reset passwords", async () => {
    const c = caller(sessions.admin);
    const added = await c.users.add({ email: "New@Example.com", role: "viewer", password: "new-user-pass" });
    expect(added).toMatchObject({ email: "new@example.com", role: "viewer" });
    expect((await c.users.setRole({ email: "new@example.com", role: "operator" })).role).toBe("operator");
    const reset = await c.users.resetPassword({ email: "new@example.com" });
    expect(reset.generatedPassword).toHaveLength(24);
    const list = await c.users.list();
    expect(list.map((u) => u.email)).toEqual(["admin@example.com", "new@example.com", "operator@example.com", "viewer@example.com"]);
    expect(JSON.stringify(list)).not.toContain("scrypt");
  });

  it("domain errors come back with their mapped codes and messages", async () => {
    const c = caller(sessions.admin);
    const dup = await c.users.add({ email: "viewer@example.com", role: "viewer", password: "long-password" }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(TRPCError);
    expect((dup as TRPCError).code).toBe("CONFLICT");
    expect((dup as TRPCError).message).toMatch(/already exists/);
    expect(await codeOf(c.users.setRole({ email: "ghost@example.com", role: "viewer" }))).toBe("NOT_FOUND");
    expect(await codeOf(c.users.setRole({ email: "admin@example.com", role: "viewer" }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(c.users.add({ email: "short@example.com", role: "viewer", password: "short" }))).toBe("BAD_REQUEST");
    expect(await codeOf(c.users.add({ email: "not-an-email", role: "viewer", password: "long-password" }))).toBe("BAD_REQUEST");
  });

  it("me: any signed-in user sees themselves; without a session it is UNAUTHORIZED", async () => {
    expect(await caller(sessions.viewer).users.me()).toMatchObject({ email: "viewer@example.com", role: "viewer" });
    expect(await codeOf(caller(null).users.me())).toBe("UNAUTHORIZED");
  });
});

describe("[SECURITY] user management is audited; sessions end at once", () => {
  it("add, role change, reset, disable, enable and revoke each write one user_audit row naming the admin", async () => {
    const c = caller(sessions.admin);
    const before = await t.db.userAudit.count();
    await c.users.add({ email: "audited@example.com", role: "viewer", password: "audited-password" });
    await c.users.setRole({ email: "audited@example.com", role: "operator" });
    await c.users.resetPassword({ email: "audited@example.com" });
    await c.users.setDisabled({ email: "audited@example.com", disabled: true });
    await c.users.setDisabled({ email: "audited@example.com", disabled: false });
    await c.users.revokeSessions({ email: "audited@example.com" });
    const rows = await c.users.audit({ email: "audited@example.com", limit: 10 });
    expect(rows.map((r) => r.action)).toEqual(["revoke_sessions", "enable", "disable", "reset_password", "set_role", "add"]);
    expect(new Set(rows.map((r) => `${r.actor}/${r.source}`))).toEqual(new Set(["admin@example.com/web"]));
    expect(rows.find((r) => r.action === "set_role")?.detail).toEqual({ from: "viewer", to: "operator" });
    expect(await t.db.userAudit.count()).toBe(before + 6);
    expect(JSON.stringify(rows)).not.toMatch(/scrypt|audited-password/);
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE on user_audit, even to the tables' owner", async () => {
    // The runtime role is refused by privileges already; the owner, who has them all, by the triggers.
    const owner = t.ownerDb;
    for (const db of [owner, t.db]) {
      await expect(db.$executeRawUnsafe(`UPDATE user_audit SET actor = 'someone-else'`)).rejects.toThrow(/append-only|permission denied/);
      await expect(db.$executeRawUnsafe(`DELETE FROM user_audit`)).rejects.toThrow(/append-only|permission denied/);
      await expect(db.$executeRawUnsafe(`TRUNCATE user_audit`)).rejects.toThrow(/append-only|permission denied/);
    }
    await expect(owner.$executeRawUnsafe(`DELETE FROM user_audit`)).rejects.toThrow(/append-only/);
  });

  it("the audit is for admins only", async () => {
    expect(await codeOf(caller(sessions.operator).users.audit())).toBe("FORBIDDEN");
  });

  it("the last enabled admin cannot be disabled", async () => {
    expect(await codeOf(caller(sessions.admin).users.setDisabled({ email: "admin@example.com", disabled: true }))).toBe("PRECONDITION_FAILED");
  });

  it("self-service: anyone signed in can change their own password (proving the current one) and sign out everywhere", async () => {
    const u = await addUser(t.db, { email: "self@example.com", role: "viewer", password: "self-password-1" });
    const me: Session = { user: { id: u.id, email: u.email, name: null, role: "viewer" } };
    expect(await codeOf(caller(me).users.changePassword({ currentPassword: "wrong-password", newPassword: "self-password-2" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller(me).users.changePassword({ currentPassword: "self-password-1", newPassword: "short" }))).toBe("BAD_REQUEST");
    const v0 = (await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion;
    await caller(me).users.changePassword({ currentPassword: "self-password-1", newPassword: "self-password-2" });
    await caller(me).users.revokeMySessions();
    expect((await t.db.user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion).toBe(v0 + 2);
    expect((await t.db.userAudit.findMany({ where: { targetEmail: "self@example.com" }, orderBy: { id: "asc" } })).map((r) => `${r.action}:${r.actor}`)).toEqual([
      "add:system",
      "change_password:self@example.com",
      "revoke_sessions:self@example.com",
    ]);
  });

  it("a session that must change its generated password can do nothing else", async () => {
    const u = await addUser(t.db, { email: "fresh@example.com", role: "admin", password: "fresh-password-1" });
    const fresh: Session = { user: { id: u.id, email: u.email, name: null, role: "admin", mustChangePassword: true } };
    expect(await codeOf(caller(fresh).users.list())).toBe("FORBIDDEN");
    expect(await codeOf(caller(fresh).toggles.killSwitch({ reason: "x" }))).toBe("FORBIDDEN");
    expect(await caller(fresh).users.me()).toMatchObject({ email: "fresh@example.com" });
    expect(await codeOf(caller(fresh).users.changePassword({ currentPassword: "fresh-password-1", newPassword: "fresh-password-2" }))).toBe("OK");
  });
});
