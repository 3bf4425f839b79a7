// [SECURITY] The position actions (issue 16) on a real database, through the router and through
// the real route handler and proxy with a signed-in operator's cookie: a viewer cannot request
// one; a cross-site POST is refused and records nothing; forged input is refused by zod (unknown
// kind, extra field, bad symbol, close without the typed symbol, over-long reason); a request is
// one action row plus one audit row.
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { trpcOutcome } from "../../../../test/trpc-outcome";
import type { Session } from "../../auth/session";
import { addUser } from "../../services/users/add-user";
import { bootToggles } from "../../services/toggles/boot-toggles";
import { appRouter } from "../root";
import { createContextInner } from "../trpc";

const APP = "http://localhost:3000";
process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
process.env.NEXTAUTH_URL = APP;

let t: TestDatabase;
const s = {} as Record<"viewer" | "op", Session>;

beforeAll(async () => {
  t = await createTestDatabase("positionactions");
  await bootToggles(t.db, {});
  process.env.DATABASE_URL = t.url; // the route handler and the proxy use the process-wide client
  for (const [key, role] of [["viewer", "viewer"], ["op", "operator"]] as const) {
    const u = await addUser(t.db, { email: `${key}@example.com`, role, password: `${key}-password-123` });
    s[key] = { user: { id: u.id, email: u.email, name: null, role } };
  }
  await t.db.positionSafety.create({
    data: { symbol: "BTCUSDT", positionSide: "long", size: 0.01, entryPrice: 50_000, markPrice: 50_100, unrealizedPnl: 1, protected: true, dualPosition: false, stopPrice: 49_000, seenAt: new Date() },
  });
});
afterAll(async () => t?.drop());

const caller = (session: Session) => appRouter.createCaller(createContextInner({ db: t.db, session }));
const counts = async () => [await t.db.positionAction.count(), await t.db.positionActionAudit.count()];
const good = { kind: "hand_back", symbol: "BTCUSDT", positionSide: "long", reason: "legacy takes this one" } as const;

async function signIn(email: string, password: string): Promise<string> {
  const { verifyLogin } = await import("../../services/users/verify-login");
  const { buildAuthOptions } = await import("../../auth/auth-options");
  const secret = process.env.NEXTAUTH_SECRET!;
  const result = await verifyLogin(t.db, { email, password, ip: "unknown" });
  if (!result.ok) throw new Error(`sign-in as ${email} failed: ${result.reason}`);
  const token = await buildAuthOptions(secret).callbacks!.jwt!({ token: { sub: result.user.id }, user: result.user, account: null, trigger: "signIn" });
  return `next-auth.session-token=${await encode({ token, secret })}`;
}

describe("[SECURITY] position actions", () => {
  it("a viewer cannot request one (FORBIDDEN), and nothing is recorded", async () => {
    const before = await counts();
    expect(await trpcOutcome(caller(s.viewer).positions.requestAction(good))).toBe("FORBIDDEN");
    expect(await trpcOutcome(caller(s.viewer).positions.requestAction({ ...good, kind: "close_now", confirmSymbol: "BTCUSDT" }))).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["an unknown kind", { ...good, kind: "open_more" }],
    ["an extra field", { ...good, quantity: 100 }],
    ["a symbol with SQL in it", { ...good, symbol: "BTC'; DROP TABLE users;--" }],
    ["a side that is not long or short", { ...good, positionSide: "both" }],
    ["close now without the typed symbol", { ...good, kind: "close_now" }],
    ["close now with another symbol typed", { ...good, kind: "close_now", confirmSymbol: "ETHUSDT" }],
    ["a reason over the limit", { ...good, reason: "x".repeat(501) }],
    ["no reason", { ...good, reason: "" }],
  ])("forged input is refused by zod (BAD_REQUEST): %s", async (_what, input) => {
    const before = await counts();
    const err = await caller(s.op).positions.requestAction(input as never).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect(await counts()).toEqual(before);
  });

  it("a cross-site POST with the operator's cookie is refused (proxy and route) and records nothing; the same call from the app works", async () => {
    const cookie = await signIn("op@example.com", "op-password-123");
    const trpc = await import("../../../app/api/trpc/[trpc]/route");
    const { proxy } = await import("../../../proxy");
    const body = JSON.stringify({ json: good });
    const before = await counts();
    const cross = { cookie, "content-type": "application/json", origin: "http://evil.example", "sec-fetch-site": "cross-site" };
    expect([403, 415]).toContain((await proxy(new NextRequest(`${APP}/api/trpc/positions.requestAction`, { method: "POST", headers: cross, body }))).status);
    expect((await trpc.POST(new Request(`${APP}/api/trpc/positions.requestAction`, { method: "POST", headers: cross, body }))).status).toBe(403);
    const form = await trpc.POST(new Request(`${APP}/api/trpc/positions.requestAction`, { method: "POST", headers: { cookie, "content-type": "text/plain" }, body }));
    expect(form.status).toBe(415);
    expect(await counts()).toEqual(before);
    const own = await trpc.POST(new Request(`${APP}/api/trpc/positions.requestAction`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: APP, "sec-fetch-site": "same-origin" }, body }));
    expect(own.status).toBe(200);
    expect(await counts()).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  it("one unfinished action per position; the audit trail is append-only", async () => {
    const err = await caller(s.op).positions.requestAction({ ...good, kind: "close_now", confirmSymbol: "btcusdt" }).then(() => null, (e: unknown) => e);
    expect((err as TRPCError).code).toBe("CONFLICT");
    expect((err as TRPCError).message).toMatch(/still requested; wait for its outcome/);
    // The runtime login may not change it at all; even the owner is stopped by the trigger.
    await expect(t.db.$executeRawUnsafe(`UPDATE position_action_audit SET actor = 'someone else'`)).rejects.toThrow(/permission denied/);
    await expect(t.db.$executeRawUnsafe(`DELETE FROM position_action_audit`)).rejects.toThrow(/permission denied/);
    await expect(t.ownerDb.$executeRawUnsafe(`UPDATE position_action_audit SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(t.ownerDb.$executeRawUnsafe(`TRUNCATE position_action_audit`)).rejects.toThrow(/append-only/);
    const list = await caller(s.viewer).positions.actions({ symbol: "BTCUSDT" });
    expect(list[0]).toMatchObject({ kind: "hand_back", status: "requested", requestedBy: "op@example.com" });
  });
});
