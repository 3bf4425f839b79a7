// Reads the session cookie and returns the signed-in user as the database knows them now (for a
// read request: as of under a second ago, see session-read-cache.ts). One function for every
// caller: the proxy, the tRPC context and server components.
import { decode } from "next-auth/jwt";
import type { Db } from "../db/client";
import { loadSessionUser, type SessionUser } from "../services/users/load-session-user";
import { authSecret, secureCookiesEnabled } from "./auth-secret";
import { isReadMethod, SessionReadCache } from "./session-read-cache";

export type { SessionUser };

export interface Session {
  user: SessionUser;
}

interface CookieJar {
  getAll(): { name: string; value: string }[];
}

/** Parses a Cookie header; enough for next-auth's session cookie (values are URL-safe). */
export function parseCookieHeader(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    const raw = part.slice(i + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

// One per database handle (the web server has one; tests may have several).
const readCaches = new WeakMap<Db, SessionReadCache>();

/**
 * Forget every cached read session of this process at once: called after this process ended
 * sessions (password change, revoke, disable, role change), so even reads see it immediately.
 * Changes made elsewhere (the CLI) reach reads within READ_SESSION_TTL_MS; mutations never use
 * the cache.
 */
export function forgetCachedSessions(db: Db): void {
  readCaches.get(db)?.clear();
}

export async function sessionFromRequest(
  db: Db,
  req: { headers: Headers; cookies?: CookieJar; method?: string },
): Promise<Session | null> {
  const cookies = req.cookies
    ? Object.fromEntries(req.cookies.getAll().map((c) => [c.name, c.value]))
    : parseCookieHeader(req.headers.get("cookie"));
  const raw = sessionCookieValue(cookies, secureCookiesEnabled());
  if (!raw) return null;
  // Reads may reuse a resolution under a second old; writes always resolve afresh (see the cache).
  let cache: SessionReadCache | undefined;
  if (isReadMethod(req.method)) {
    cache = readCaches.get(db);
    if (!cache) readCaches.set(db, (cache = new SessionReadCache()));
    const hit = cache.get(raw);
    if (hit) return { user: hit };
  }
  const token = await decodeToken(raw, await authSecret());
  if (!token?.sub) return null;
  const user = await loadSessionUser(db, token.sub, typeof token.sv === "number" ? token.sv : undefined);
  if (user) cache?.set(raw, user);
  return user ? { user } : null;
}

/** next-auth's cookie name; large tokens are split into `<name>.0`, `<name>.1`, … */
function sessionCookieName(secure: boolean): string {
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

function sessionCookieValue(cookies: Record<string, string>, secure: boolean): string {
  const name = sessionCookieName(secure);
  const chunks = Object.keys(cookies)
    .filter((k) => k.startsWith(`${name}.`))
    .sort((a, b) => Number(a.slice(name.length + 1)) - Number(b.slice(name.length + 1)));
  return cookies[name] ?? chunks.map((k) => cookies[k]).join("");
}

async function decodeToken(raw: string, secret: string) {
  try {
    return await decode({ token: raw, secret });
  } catch {
    return null; // expired, tampered, or signed with another secret: not signed in
  }
}
