// Reads the session cookie and returns the signed-in user as the database knows them now.
// One function for every caller: the proxy, the tRPC context and server components.
import { decode } from "next-auth/jwt";
import type { Db } from "../db/client";
import { loadSessionUser, type SessionUser } from "../services/load-session-user";
import { authSecret, secureCookiesEnabled } from "./auth-secret";

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

export async function sessionFromRequest(
  db: Db,
  req: { headers: Headers; cookies?: CookieJar },
): Promise<Session | null> {
  const cookies = req.cookies
    ? Object.fromEntries(req.cookies.getAll().map((c) => [c.name, c.value]))
    : parseCookieHeader(req.headers.get("cookie"));
  const token = await decodeSessionCookie(cookies, await authSecret(), secureCookiesEnabled());
  if (!token?.sub) return null;
  const user = await loadSessionUser(db, token.sub);
  return user ? { user } : null;
}

/** next-auth's cookie name; large tokens are split into `<name>.0`, `<name>.1`, … */
function sessionCookieName(secure: boolean): string {
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

async function decodeSessionCookie(cookies: Record<string, string>, secret: string, secure: boolean) {
  const name = sessionCookieName(secure);
  const chunks = Object.keys(cookies)
    .filter((k) => k.startsWith(`${name}.`))
    .sort((a, b) => Number(a.slice(name.length + 1)) - Number(b.slice(name.length + 1)));
  const raw = cookies[name] ?? chunks.map((k) => cookies[k]).join("");
  if (!raw) return null;
  try {
    return await decode({ token: raw, secret });
  } catch {
    return null; // expired, tampered, or signed with another secret: not signed in
  }
}
