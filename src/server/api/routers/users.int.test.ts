// Role checks through the real router (createCaller + createContextInner) on a real database:
// every mutation of the app is refused without a session and for a viewer; user management
// needs an admin.
import { TRPCError } from "@trpc/server";
import { trpcOutcome } from "../../../../test/trpc-outcome";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import type { Role } from "../../auth/roles";
import type { Session } from "../../auth/session";
import { addUser } from "../../services/add-user";
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

/** Every mutation in the app router, by dotted path, called with dummy input. */
function mutationPaths(): string[] {
  const procs = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  return Object.entries(procs)
    .filter(([, p]) => p._def.type === "mutation")
    .map(([path]) => path);
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

  it("as a viewer, every mutation is FORBIDDEN", async () => {
    for (const path of mutationPaths()) expect(`${path}: ${await codeOf(callByPath(sessions.viewer, path))}`).toBe(`${path}: FORBIDDEN`);
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
