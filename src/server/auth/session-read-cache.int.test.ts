// Through the real proxy and the real tRPC route handler, with a real session cookie: a read
// may reuse the session resolved less than a second ago (the dashboard's polling), but a
// mutation always resolves the user afresh, so an operator disabled a moment ago cannot pull
// the kill switch or change a toggle, and reads stop within the read cache's TTL.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { addUser } from "../services/users/add-user";
import { bootToggles } from "../services/toggles/boot-toggles";
import { authSecret } from "./auth-secret";
import { READ_SESSION_TTL_MS } from "./session-read-cache";

let t: TestDatabase;
// The web server's key comes from the environment (the runtime database role cannot read auth_secret).
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");

beforeAll(async () => {
  t = await createTestDatabase("sessioncache");
  await bootToggles(t.db, {});
  process.env.DATABASE_URL = t.url; // the route handler and the proxy use the process-wide client
});
afterAll(async () => t?.drop());

async function toggleVersion(): Promise<bigint> {
  return (await t.db.exitToggles.findFirstOrThrow()).version;
}

describe("session read cache over HTTP handlers", () => {
  it("a disabled operator: reads for under a second, mutations refused at once, then reads refused", async () => {
    const user = await addUser(t.db, { email: "op@example.com", password: "operator-password", role: "operator" });
    const cookie = `next-auth.session-token=${await encode({ token: { sub: user.id, email: user.email, sv: 1 }, secret: await authSecret() })}`;
    const { GET, POST } = await import("../../app/api/trpc/[trpc]/route");
    const { proxy } = await import("../../proxy");
    const read = () => GET(new Request("http://localhost/api/trpc/health.exitBrainStatus", { headers: { cookie } }));
    const killSwitch = () => POST(new Request("http://localhost/api/trpc/toggles.killSwitch", {
      method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ json: { reason: "test" } }),
    }));
    const proxied = (method: "GET" | "POST") => proxy(new NextRequest("http://localhost/api/trpc/health.exitBrainStatus", { method, headers: { cookie, "content-type": "application/json" } }));

    const firstReadAt = Date.now(); // the cache entry is made after this, so it lives at least until firstReadAt + TTL
    const first = await read();
    expect(first.status, await first.clone().text()).toBe(200);
    expect((await proxied("GET")).status).toBe(200);
    const version = await toggleVersion();

    await t.db.user.update({ where: { id: user.id }, data: { disabled: true } });
    const refused = await killSwitch();
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/UNAUTHORIZED/);
    expect((await proxied("POST")).status).toBe(401);
    expect(await toggleVersion()).toBe(version);

    const cachedRead = await read();
    if (Date.now() - firstReadAt < READ_SESSION_TTL_MS) expect(cachedRead.status).toBe(200);
    await new Promise((r) => setTimeout(r, READ_SESSION_TTL_MS + 50));
    expect((await read()).status).toBe(401);
    expect((await proxied("GET")).status).toBe(401);
  });
});
