// [SECURITY] issue 13, web half, over real HTTP against the running product (scripts/e2e.ts
// starts it with `npm start`): cross-site writes, oversized batches, security headers, the open
// redirect, revoked sessions, a made-up X-Forwarded-For, where the web server listens, and what
// each child process's environment holds.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { networkInterfaces } from "node:os";
import { expect, test } from "@playwright/test";
import { auditCount, cli, ensureUser, sql } from "../support/product";

const base = () => process.env.E2E_BASE_URL ?? "http://localhost:3100";
const port = () => Number(new URL(base()).port);

/** Signs in over HTTP the way the sign-in page does (csrf, then the credentials callback). */
async function signInHttp(email: string, password: string, headers: Record<string, string> = {}): Promise<{ cookie: string | null; url: string }> {
  const csrfRes = await fetch(`${base()}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: jar, origin: new URL(base()).origin },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => /next-auth\.session-token=/.test(c)) ?? null;
  // next-auth answers a JSON sign-in with { url } (200 when signed in, 401 with ?error=… when not).
  const url = (res.headers.get("content-type") ?? "").includes("json") ? ((await res.json()) as { url: string }).url : (res.headers.get("location") ?? "");
  return { cookie, url };
}

async function operatorCookie(): Promise<string> {
  const op = ensureUser("attack-op@example.com", "operator", "attack-operator-password");
  const { cookie } = await signInHttp(op.email, op.password);
  if (!cookie) throw new Error("the operator could not sign in");
  return cookie;
}

test.describe("[SECURITY] web API over HTTP", () => {
  test("a cross-site form, text/plain or octet-stream POST with an operator's cookie is refused; nothing is audited", async () => {
    const cookie = await operatorCookie();
    const before = await auditCount();
    const body = JSON.stringify({ json: { reason: "cross-site attack" } });
    for (const [type, payload] of [
      ["multipart/form-data; boundary=x", `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${body}\r\n--x--\r\n`],
      ["text/plain", body],
      ["application/octet-stream", body],
      ["application/json", body], // JSON too, when the browser says it comes from another site
    ] as const) {
      const res = await fetch(`${base()}/api/trpc/toggles.killSwitch`, {
        method: "POST",
        headers: { cookie, "content-type": type, origin: "http://evil.example", "sec-fetch-site": "cross-site" },
        body: payload,
      });
      expect(`${type}: ${res.status}`).toMatch(/: 40[3]|: 415/);
    }
    // Without any browser header, a non-JSON body is still refused.
    const bare = await fetch(`${base()}/api/trpc/toggles.killSwitch`, { method: "POST", headers: { cookie, "content-type": "text/plain" }, body });
    expect(bare.status).toBe(415);
    expect(await auditCount()).toBe(before);
  });

  test("a GET batch of 400 calls is refused with 400", async () => {
    const cookie = await operatorCookie();
    const paths = Array.from({ length: 400 }, () => "users.me").join(",");
    const res = await fetch(`${base()}/api/trpc/${paths}?batch=1&input=%7B%7D`, { headers: { cookie } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Batch call exceeds maximum size/);
  });

  test("every page and API answer carries the security headers", async () => {
    const cookie = await operatorCookie();
    const answers = [
      ["/signin", {}],
      ["/", {}], // redirect to /signin (made by the proxy)
      ["/", { cookie }],
      ["/api/trpc/users.me", {}], // 401 from the proxy
      ["/api/trpc/users.me", { cookie }],
      ["/health/exit_brain_status", {}],
      ["/api/metrics", {}],
      ["/api/auth/providers", {}],
    ] as const;
    for (const [path, headers] of answers) {
      const res = await fetch(`${base()}${path}`, { headers, redirect: "manual" });
      const h = res.headers;
      const where = `${path} (${res.status})`;
      expect(h.get("content-security-policy"), where).toContain("frame-ancestors 'none'");
      expect(h.get("x-frame-options"), where).toBe("DENY");
      expect(h.get("x-content-type-options"), where).toBe("nosniff");
      expect(h.get("referrer-policy"), where).toBe("same-origin");
    }
  });

  test("signed in, /signin?callbackUrl=/%09/evil.example redirects on the app, never to evil.example", async () => {
    const cookie = await operatorCookie();
    for (const cb of ["/%09/evil.example", "/%5C/evil.example", "//evil.example", "/.//evil.example", "https://evil.example/"]) {
      const res = await fetch(`${base()}/signin?callbackUrl=${cb}`, { headers: { cookie }, redirect: "manual" });
      expect(res.status, cb).toBeGreaterThanOrEqual(300);
      expect(new URL(res.headers.get("location")!, base()).host, cb).toBe(new URL(base()).host);
    }
  });
});

test.describe("[SECURITY] sessions and sign-in over HTTP", () => {
  test("after an admin resets the password, the old cookie is refused at once", async () => {
    const user = ensureUser(`reset-${randomBytes(3).toString("hex")}@example.com`, "operator", "reset-password-1");
    const { cookie } = await signInHttp(user.email, user.password);
    expect(cookie).not.toBeNull();
    const me = () => fetch(`${base()}/api/trpc/users.me`, { headers: { cookie: cookie! } });
    expect((await me()).status).toBe(200);
    cli("user", "passwd", "--email", user.email, "--password", "reset-password-2");
    const before = await auditCount();
    const kill = await fetch(`${base()}/api/trpc/toggles.killSwitch`, {
      method: "POST", headers: { cookie: cookie!, "content-type": "application/json" }, body: JSON.stringify({ json: { reason: "old cookie" } }),
    });
    expect(kill.status).toBe(401);
    expect(await auditCount()).toBe(before);
    await expect.poll(async () => (await me()).status, { timeout: 5_000 }).toBe(401); // reads: within the 1 s read cache
  });

  test("`exit-brain user disable` and `revoke-sessions` end sessions; each change is in the user audit", async () => {
    const user = ensureUser(`cli-${randomBytes(3).toString("hex")}@example.com`, "operator", "cli-user-password");
    const status = async (cookie: string) =>
      (await fetch(`${base()}/api/trpc/users.revokeMySessions`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{}" })).status;
    let { cookie } = await signInHttp(user.email, user.password);
    cli("user", "revoke-sessions", "--email", user.email);
    expect(await status(cookie!)).toBe(401);
    ({ cookie } = await signInHttp(user.email, user.password));
    cli("user", "disable", "--email", user.email);
    expect(await status(cookie!)).toBe(401);
    expect((await signInHttp(user.email, user.password)).cookie).toBeNull();
    cli("user", "enable", "--email", user.email);
    expect((await signInHttp(user.email, user.password)).cookie).not.toBeNull();
    const audit = cli("user", "audit", "--email", user.email, "--json");
    expect((JSON.parse(audit) as { action: string }[]).map((r) => r.action)).toEqual(["enable", "disable", "revoke_sessions", "add"]);
  });

  test("failed sign-ins with a made-up X-Forwarded-For each time are still counted for the real address", async () => {
    const emails: string[] = [];
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      const email = `spray-${randomBytes(3).toString("hex")}@example.com`;
      emails.push(email);
      const { url } = await signInHttp(email, "guessed-password", { "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}` });
      refused = /Too(%20|\+| )many(%20|\+| )attempts/.test(url);
    }
    expect(refused, "one address spraying 20 accounts must be slowed down, whatever X-Forwarded-For says").toBe(true);
    // Leave the shared address as the other browser tests expect it.
    await sql("DELETE FROM login_failure WHERE email = ANY($1)", [emails]);
  });
});

test.describe("[SECURITY] processes", () => {
  test("the web server listens on 127.0.0.1 only", async () => {
    // The kernel's own table of listening sockets (state 0A) for the web port: every one is bound
    // to 127.0.0.1 (0100007F), none to 0.0.0.0 or an IPv6 address. Works on any machine.
    const hexPort = port().toString(16).toUpperCase().padStart(4, "0");
    const listening = ["/proc/net/tcp", "/proc/net/tcp6"]
      .flatMap((f) => readFileSync(f, "utf8").split("\n").slice(1))
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c.length > 3 && c[3] === "0A" && c[1]!.endsWith(`:${hexPort}`))
      .map((c) => c[1]!);
    expect(listening.length, "the web server's listening socket").toBeGreaterThan(0);
    expect(listening).toEqual(listening.map(() => `0100007F:${hexPort}`));
    // And where the machine has a non-loopback address, a connection to it is refused.
    const external = Object.values(networkInterfaces()).flat().find((a) => a && !a.internal && a.family === "IPv4");
    if (!external) return;
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect({ host: external.address, port: port(), timeout: 3_000 });
      s.once("connect", () => (s.destroy(), resolve("connected")));
      s.once("timeout", () => (s.destroy(), resolve("timeout")));
      s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    });
    expect(outcome).toBe("ECONNREFUSED");
  });

  test("ADMIN_PASSWORD reaches no child process; the simulator has no database URL", async () => {
    const mine = new URL(base()).port;
    const children: { cmd: string; env: Map<string, string> }[] = [];
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        if (!/scripts\/web-server\.ts|worker\/main\.ts|sim\/main\.ts/.test(cmd)) continue;
        const env = new Map(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as [string, string]));
        if (env.get("WEB_PORT") === mine || env.get("SIM_PORT") === process.env.E2E_SIM_PORT || cmd.includes("web-server")) children.push({ cmd, env });
      } catch {
        // gone, or not ours
      }
    }
    const web = children.find((c) => c.cmd.includes("web-server") && c.env.get("WEB_PORT") === mine);
    expect(web, "the web server process of this run").toBeDefined();
    for (const c of children) {
      expect(c.env.has("ADMIN_PASSWORD"), c.cmd).toBe(false);
      expect(c.env.has("E2E_ADMIN_PASSWORD"), c.cmd).toBe(false);
      expect(c.env.has("BINANCE_API_SECRET") && !c.cmd.includes("worker"), c.cmd).toBe(false);
      if (c.cmd.includes("sim/main.ts")) expect(c.env.has("DATABASE_URL"), c.cmd).toBe(false);
    }
  });
});
