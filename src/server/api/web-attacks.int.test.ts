// [SECURITY] issue 13, web half, through the real route handlers and the real proxy with a
// session cookie obtained by signing in through next-auth's own endpoints (csrf, then the
// credentials callback), on a real PostgreSQL. e2e/auth/web-attacks.spec.ts repeats the
// cross-site and session attacks over real HTTP against the running product.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { addUser } from "../services/users/add-user";
import { bootToggles } from "../services/toggles/boot-toggles";

let t: TestDatabase;
const APP = "http://localhost:3000";
// The runtime database role cannot read auth_secret: the web server gets its key from the environment.
process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
process.env.NEXTAUTH_URL = APP;

beforeAll(async () => {
  t = await createTestDatabase("webattacks");
  await bootToggles(t.db, {});
  process.env.DATABASE_URL = t.url; // the route handlers and the proxy use the process-wide client
});
afterAll(async () => t?.drop());

const routes = async () => ({
  trpc: await import("../../app/api/trpc/[trpc]/route"),
  proxy: (await import("../../proxy")).proxy,
});

/**
 * The session cookie a sign-in produces: the credentials check (verifyLogin, as authorize() runs
 * it), then next-auth's jwt callback from our options, encoded with the server's secret. (The
 * next-auth route itself needs Next's request scope; e2e/auth signs in over real HTTP.)
 */
async function signIn(email: string, password: string): Promise<string> {
  const { verifyLogin } = await import("../services/users/verify-login");
  const { buildAuthOptions } = await import("../auth/auth-options");
  const secret = process.env.NEXTAUTH_SECRET!;
  const result = await verifyLogin(t.db, { email, password, ip: "unknown" });
  if (!result.ok) throw new Error(`sign-in as ${email} failed: ${result.reason}`);
  const jwt = buildAuthOptions(secret).callbacks!.jwt!;
  const token = await jwt({ token: { sub: result.user.id }, user: result.user, account: null, trigger: "signIn" });
  return `next-auth.session-token=${await encode({ token, secret })}`;
}

async function toggleState(): Promise<string> {
  const [row] = await t.db.$queryRawUnsafe<{ s: string }[]>(`SELECT concat_ws('|', (SELECT version FROM exit_toggles), (SELECT count(*) FROM toggle_audit)) AS s`);
  return row!.s;
}

const killSwitchBody = JSON.stringify({ json: { reason: "attack" } });

describe("[SECURITY] cross-site requests with an operator's cookie", () => {
  let cookie: string;
  beforeAll(async () => {
    await addUser(t.db, { email: "op@example.com", role: "operator", password: "operator-password" });
    cookie = await signIn("op@example.com", "operator-password");
  });

  it.each([
    ["multipart/form-data; boundary=x", `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${killSwitchBody}\r\n--x--\r\n`],
    ["text/plain", killSwitchBody],
    ["application/octet-stream", killSwitchBody],
    ["application/x-www-form-urlencoded", "a=1"],
  ])("a cross-site %s POST to toggles.killSwitch is refused by the proxy and by the route, and nothing changes", async (type, body) => {
    const { trpc, proxy } = await routes();
    const before = await toggleState();
    const headers = { cookie, "content-type": type, origin: "http://evil.example", "sec-fetch-site": "cross-site" };
    const viaProxy = await proxy(new NextRequest(`${APP}/api/trpc/toggles.killSwitch`, { method: "POST", headers, body }));
    expect([403, 415]).toContain(viaProxy.status);
    const direct = await trpc.POST(new Request(`${APP}/api/trpc/toggles.killSwitch`, { method: "POST", headers, body }));
    expect([403, 415]).toContain(direct.status);
    // Even without Origin / Sec-Fetch-Site (an old browser, a stripped header), a non-JSON body is refused.
    const noOrigin = await trpc.POST(new Request(`${APP}/api/trpc/toggles.killSwitch`, { method: "POST", headers: { cookie, "content-type": type }, body }));
    expect(noOrigin.status).toBe(415);
    expect(await toggleState()).toBe(before);
  });

  it("a JSON POST from another origin is refused too; the same call from the app itself works", async () => {
    const { trpc } = await routes();
    const before = await toggleState();
    const evil = await trpc.POST(new Request(`${APP}/api/trpc/toggles.killSwitch`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: "http://evil.example" }, body: killSwitchBody }));
    expect(evil.status).toBe(403);
    expect(await evil.text()).toMatch(/Cross-origin request refused/);
    expect(await toggleState()).toBe(before);
    const own = await trpc.POST(new Request(`${APP}/api/trpc/toggles.killSwitch`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: APP, "sec-fetch-site": "same-origin" }, body: killSwitchBody }));
    expect(own.status).toBe(200); // (already LEGACY: a no-op the service answers, not a refusal)
  });

  it("a GET batch of 400 calls is refused (400); a batch of 10 is answered", async () => {
    const { trpc } = await routes();
    const batch = (n: number) => `${APP}/api/trpc/${Array.from({ length: n }, () => "users.me").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`;
    const big = await trpc.GET(new Request(batch(400), { headers: { cookie } }));
    expect(big.status).toBe(400);
    const ok = await trpc.GET(new Request(batch(10), { headers: { cookie } }));
    expect(ok.status).toBe(200);
  });
});

describe("[SECURITY] sessions end at once", () => {
  async function meStatus(cookie: string, method: "GET" | "POST" = "POST"): Promise<number> {
    const { trpc } = await routes();
    // A mutation (POST) always resolves the session afresh; users.changePassword with a bad body is a cheap probe.
    if (method === "POST") {
      const r = await trpc.POST(new Request(`${APP}/api/trpc/users.revokeMySessions?probe`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: APP }, body: "{not json" }));
      return r.status;
    }
    return (await trpc.GET(new Request(`${APP}/api/trpc/users.me`, { headers: { cookie } }))).status;
  }

  async function killSwitchWith(cookie: string): Promise<number> {
    const { trpc } = await routes();
    const r = await trpc.POST(new Request(`${APP}/api/trpc/toggles.killSwitch`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: APP }, body: killSwitchBody }));
    return r.status;
  }

  it("after an admin resets the password (and the user signs out), the old cookie is refused", async () => {
    await addUser(t.db, { email: "reset@example.com", role: "operator", password: "reset-password-1" });
    const old = await signIn("reset@example.com", "reset-password-1");
    expect(await killSwitchWith(old)).toBe(200);
    const { resetUserPassword } = await import("../services/users/reset-user-password");
    await resetUserPassword(t.db, { email: "reset@example.com", password: "reset-password-2" });
    const before = await toggleState();
    expect(await killSwitchWith(old)).toBe(401);
    expect(await toggleState()).toBe(before);
    // the new password gives a working session
    expect(await killSwitchWith(await signIn("reset@example.com", "reset-password-2"))).toBe(200);
  });

  it("role change, disable and sign-out-everywhere each end existing sessions at once", async () => {
    const { setUserRole } = await import("../services/users/set-user-role");
    const { setUserDisabled, revokeUserSessions } = await import("../services/users/user-account");
    await addUser(t.db, { email: "many@example.com", role: "operator", password: "many-password-1" });

    let cookie = await signIn("many@example.com", "many-password-1");
    await setUserRole(t.db, { email: "many@example.com", role: "viewer" });
    expect(await killSwitchWith(cookie)).toBe(401);
    await setUserRole(t.db, { email: "many@example.com", role: "operator" });

    cookie = await signIn("many@example.com", "many-password-1");
    await revokeUserSessions(t.db, { email: "many@example.com" });
    expect(await killSwitchWith(cookie)).toBe(401);

    cookie = await signIn("many@example.com", "many-password-1");
    await setUserDisabled(t.db, { email: "many@example.com", disabled: true });
    expect(await killSwitchWith(cookie)).toBe(401);
    await setUserDisabled(t.db, { email: "many@example.com", disabled: false });
    expect(await killSwitchWith(cookie)).toBe(401); // enabling again does not revive old sessions
    expect(await meStatus(await signIn("many@example.com", "many-password-1"), "GET")).toBe(200);
  });

  it("a user changing their own password through the API ends this and every other session", async () => {
    const { trpc } = await routes();
    await addUser(t.db, { email: "self@example.com", role: "operator", password: "self-password-1" });
    const a = await signIn("self@example.com", "self-password-1");
    const b = await signIn("self@example.com", "self-password-1");
    const r = await trpc.POST(new Request(`${APP}/api/trpc/users.changePassword`, {
      method: "POST", headers: { cookie: a, "content-type": "application/json", origin: APP },
      body: JSON.stringify({ json: { currentPassword: "self-password-1", newPassword: "self-password-2" } }),
    }));
    expect(r.status).toBe(200);
    expect(await killSwitchWith(a)).toBe(401);
    expect(await killSwitchWith(b)).toBe(401);
    expect(await meStatus(a, "GET")).toBe(401); // reads too: this process forgot its cached sessions
  });
});

describe("[SECURITY] open redirect after sign-in", () => {
  it("/signin?callbackUrl=/%09/evil.example (signed in) redirects on the app", async () => {
    const { proxy } = await routes();
    await addUser(t.db, { email: "redir@example.com", role: "viewer", password: "redir-password" });
    const cookie = await signIn("redir@example.com", "redir-password");
    for (const cb of ["/%09/evil.example", "/%5C/evil.example", "//evil.example", "/.//evil.example", "https://evil.example/"]) {
      const res = await proxy(new NextRequest(`${APP}/signin?callbackUrl=${cb}`, { headers: { cookie } }));
      expect(res.status, cb).toBe(307);
      expect(new URL(res.headers.get("location")!, APP).origin, cb).toBe(APP);
    }
  });

  it("next-auth's redirect callback keeps every target on the app", async () => {
    const { buildAuthOptions } = await import("../auth/auth-options");
    const redirect = buildAuthOptions("x".repeat(43)).callbacks!.redirect!;
    for (const url of ["/\t/evil.example", "//evil.example", "https://evil.example/", "/.//evil.example", `${APP}/orders`]) {
      expect(new URL(await redirect({ url, baseUrl: APP })).origin, url).toBe(APP);
    }
    expect(await redirect({ url: `${APP}/orders?x=1`, baseUrl: APP })).toBe(`${APP}/orders?x=1`);
  });
});
