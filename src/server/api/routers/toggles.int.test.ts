// The toggles router on a real database: kill switch and rollbacks by any operator, the typed
// go-LIVE path with its readiness warnings, and the four-eyes approval flow.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import type { Session } from "../../auth/session";
import { addUser } from "../../services/users/add-user";
import { changeToggles } from "../../services/toggles/change-toggles";
import { approveLive, requestLive } from "../../services/toggles/live-requests";
import { setToggles } from "../../services/toggles/set-toggles";
import { listAudit } from "../../services/toggles/list-audit";
import { appRouter } from "../root";
import { createContextInner } from "../trpc";

let t: TestDatabase | undefined;
let db: TestDatabase["db"];
const s = {} as Record<"viewer" | "alice" | "bob", Session>;

// The audit table is append-only, so each test gets a fresh database.
beforeEach(async () => {
  await t?.drop();
  t = await createTestDatabase("togglesrouter");
  db = t.db;
  for (const [key, email, role] of [["viewer", "viewer@example.com", "viewer"], ["alice", "alice@example.com", "operator"], ["bob", "bob@example.com", "operator"]] as const) {
    const u = await addUser(db, { email, role, password: `${key}-password` });
    s[key] = { user: { id: u.id, email: u.email, name: null, role } };
  }
  await changeToggles(db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, actor: "setup", source: "cli", reason: "shadow first", ceilings: {} });
});
afterAll(async () => t?.drop());

const caller = (session: Session) => appRouter.createCaller(createContextInner({ db, session }));
const LIVE = { EXIT_MODE: "EXIT_BRAIN_V3", EXIT_EXECUTOR_MODE: "LIVE", EXIT_BRAIN_V3_LIVE_ROLLOUT: "ENABLED" } as const;

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(err)}`);
  return err;
}

describe("toggles router", () => {
  it("viewers read the toggles but cannot change them", async () => {
    const v = caller(s.viewer);
    expect((await v.toggles.get()).operationalState).toBe("EXIT_BRAIN_V3_SHADOW");
    expect((await failure(v.toggles.killSwitch({}))).code).toBe("FORBIDDEN");
    expect((await failure(v.toggles.set({ changes: { EXIT_MODE: "LEGACY" }, reason: "x" }))).code).toBe("FORBIDDEN");
  });

  it("go LIVE needs the typed phrase, then returns each unmet readiness item as a warning", async () => {
    const a = caller(s.alice);
    const noPhrase = await failure(a.toggles.set({ changes: LIVE, reason: "go", confirmation: "go live" }));
    expect(noPhrase.code).toBe("BAD_REQUEST");
    expect(noPhrase.message).toMatch(/type GO LIVE exactly .* you typed "go live"/);
    const r = await a.toggles.set({ changes: LIVE, reason: "go", confirmation: "GO LIVE" });
    expect(r.stateAfter).toBe("EXIT_BRAIN_V3_LIVE");
    expect(r.readinessWarnings.join("\n")).toMatch(/Shadow log populated: No Exit Brain decision recorded yet/);
    const [row] = await listAudit(db, { limit: 1 });
    expect(row).toMatchObject({ actor: "alice@example.com", source: "dashboard", kind: "escalation", stateAfter: "EXIT_BRAIN_V3_LIVE" });
  });

  it("REQUIRE_READINESS refuses going LIVE with the unmet items; REQUIRE_LIVE_APPROVAL refuses it without a request", async () => {
    const ctx = { actor: "alice@example.com", source: "dashboard" as const, ceilings: {}, requireApproval: false, requireReadiness: true };
    await expect(setToggles(db, { changes: LIVE, reason: "go", confirmation: "GO LIVE" }, ctx)).rejects.toThrow(/REQUIRE_READINESS is on and \d+ readiness item\(s\) are not met.*Shadow log populated/);
    await expect(setToggles(db, { changes: LIVE, reason: "go", confirmation: "GO LIVE" }, { ...ctx, requireReadiness: false, requireApproval: true })).rejects.toThrow(/REQUIRE_LIVE_APPROVAL is on/);
    expect((await caller(s.alice).toggles.get()).operationalState).toBe("EXIT_BRAIN_V3_SHADOW");
  });

  it("the kill switch takes LIVE to SHADOW with one audit row by the signed-in operator; rollbacks B and C follow", async () => {
    const a = caller(s.alice);
    await a.toggles.set({ changes: LIVE, reason: "go", confirmation: "GO LIVE" });
    const before = (await listAudit(db, { limit: 1000 })).length;
    const k = await caller(s.bob).toggles.killSwitch({ reason: "spike" });
    expect(k).toMatchObject({ changed: true, kind: "rollback", stateBefore: "EXIT_BRAIN_V3_LIVE", stateAfter: "EXIT_BRAIN_V3_SHADOW" });
    const audit = await listAudit(db, { limit: 1000 });
    expect(audit.length).toBe(before + 1);
    expect(audit[0]).toMatchObject({ actor: "bob@example.com", source: "dashboard", reason: "Kill switch (Rollback A): spike" });
    expect((await a.toggles.rollback({ target: "shadow" })).after.toggles.EXIT_EXECUTOR_MODE).toBe("SHADOW");
    expect((await a.toggles.rollback({ target: "legacy", reason: null })).stateAfter).toBe("LEGACY");
  });
});

describe("LIVE approval (four eyes)", () => {
  it("a different operator approves: the state goes LIVE with exactly one audit row naming both", async () => {
    const req = await caller(s.alice).toggles.requestLive({ confirmation: "GO LIVE", reason: "24 h of clean shadow" });
    expect(req).toMatchObject({ status: "pending", requestedBy: "alice@example.com" });
    expect(req.expiresAt.getTime() - req.requestedAt.getTime()).toBe(15 * 60_000);
    expect(req.readinessWarnings.length).toBeGreaterThan(0);

    const self = await failure(caller(s.alice).toggles.approveLive({ id: req.id }));
    expect(self.code).toBe("FORBIDDEN");
    expect(self.message).toMatch(/a different operator must approve/);
    expect((await failure(caller(s.viewer).toggles.approveLive({ id: req.id }))).code).toBe("FORBIDDEN");

    const auditBefore = (await listAudit(db, { limit: 1000 })).length;
    const r = await caller(s.bob).toggles.approveLive({ id: req.id });
    expect(r).toMatchObject({ changed: true, stateAfter: "EXIT_BRAIN_V3_LIVE" });
    const audit = await listAudit(db, { limit: 1000 });
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit[0]).toMatchObject({ actor: "bob@example.com", source: "dashboard", stateAfter: "EXIT_BRAIN_V3_LIVE" });
    expect(audit[0]?.reason).toMatch(new RegExp(`LIVE request #${req.id} by alice@example.com approved by bob@example.com: 24 h of clean shadow`));
    const [listed] = await caller(s.viewer).toggles.liveRequests();
    expect(listed).toMatchObject({ id: req.id, status: "approved", decidedBy: "bob@example.com" });
    expect((await failure(caller(s.bob).toggles.approveLive({ id: req.id }))).code).toBe("CONFLICT");
  });

  it("an expired request cannot be approved and is recorded as expired", async () => {
    const past = new Date(Date.now() - 16 * 60_000);
    const req = await requestLive(db, { confirmation: "GO LIVE", reason: "late" }, { actor: "alice@example.com", source: "dashboard", ceilings: {}, requireReadiness: false, now: past });
    const err = await failure(caller(s.bob).toggles.approveLive({ id: req.id }));
    expect(err.code).toBe("PRECONDITION_FAILED");
    expect(err.message).toMatch(/expired at .* ask for a new one/);
    expect((await db.liveRequest.findUniqueOrThrow({ where: { id: BigInt(req.id) } })).status).toBe("expired");
    expect((await caller(s.bob).toggles.get()).operationalState).toBe("EXIT_BRAIN_V3_SHADOW");
    // and a new request is possible again
    expect((await caller(s.alice).toggles.requestLive({ confirmation: "GO LIVE", reason: "again" })).status).toBe("pending");
  });

  it("one pending request at a time; cancelling frees the slot; a failed change leaves the request pending", async () => {
    const a = caller(s.alice);
    const req = await a.toggles.requestLive({ confirmation: "GO LIVE", reason: "first" });
    expect((await failure(caller(s.bob).toggles.requestLive({ confirmation: "GO LIVE", reason: "second" }))).code).toBe("CONFLICT");
    expect((await failure(a.toggles.requestLive({ confirmation: "GO", reason: "x" }))).code).toBe("BAD_REQUEST");

    // A ceiling that forbids LIVE: the approval is refused and nothing is half-committed.
    await expect(approveLive(db, req.id, { actor: "bob@example.com", source: "dashboard", ceilings: { EXIT_EXECUTOR_MODE: "SHADOW" }, requireReadiness: false }))
      .rejects.toThrow(/LIVE is impossible on this deployment: the environment caps EXIT_EXECUTOR_MODE=SHADOW/);
    expect((await db.liveRequest.findUniqueOrThrow({ where: { id: BigInt(req.id) } })).status).toBe("pending");

    expect((await caller(s.bob).toggles.cancelLive({ id: req.id })).status).toBe("cancelled");
    expect((await failure(caller(s.bob).toggles.cancelLive({ id: req.id }))).code).toBe("CONFLICT");
    expect((await failure(caller(s.bob).toggles.approveLive({ id: req.id }))).code).toBe("CONFLICT");
    expect((await a.toggles.requestLive({ confirmation: "GO LIVE", reason: "third" })).status).toBe("pending");
  });

  it("approval and the toggle change roll back together when the change fails inside the transaction", async () => {
    const req = await caller(s.alice).toggles.requestLive({ confirmation: "GO LIVE", reason: "atomic" });
    // The toggle row refuses writes for this test: changeToggles fails after the request was marked approved.
    // Installed as the owner: the runtime role may not create triggers.
    await t!.ownerDb.$executeRawUnsafe(`CREATE FUNCTION eb_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await t!.ownerDb.$executeRawUnsafe(`CREATE TRIGGER eb_refuse BEFORE UPDATE ON exit_toggles FOR EACH ROW EXECUTE FUNCTION eb_refuse()`);
    await expect(caller(s.bob).toggles.approveLive({ id: req.id })).rejects.toThrow(/refused for the test/);
    expect((await db.liveRequest.findUniqueOrThrow({ where: { id: BigInt(req.id) } })).status).toBe("pending");
  });
});
