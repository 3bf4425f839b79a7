// Next 16 "proxy" (formerly middleware; Node runtime): every page and route needs a session
// except the public ones in src/server/auth/public-paths.ts. Pages redirect to /signin; API
// routes answer 401. Before that, cross-site requests and non-JSON tRPC calls are refused
// (src/server/auth/request-guard.ts). A session whose generated password must still be changed
// reaches only /account. This is the front door only: tRPC procedures check roles again.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "./env.js";
import { isApiPath, isPublicPath, safeCallbackPath } from "./server/auth/public-paths";
import { appOrigins, checkRequest } from "./server/auth/request-guard";
import { withSecurityHeaders } from "./server/auth/security-headers.js";
import { sessionFromRequest } from "./server/auth/session";
import { db } from "./server/db/client";

/** Where a session that must change its generated password is sent (the only page it may use). */
export const ACCOUNT_PATH = "/account";

export async function proxy(req: NextRequest): Promise<NextResponse> {
  return withSecurityHeaders(await decide(req));
}

async function decide(req: NextRequest): Promise<NextResponse> {
  const { pathname, search } = req.nextUrl;
  const refusal = checkRequest({ method: req.method, pathname, headers: req.headers }, appOrigins(req.headers, req.url, env().NEXTAUTH_URL));
  if (refusal) return NextResponse.json({ error: { code: refusal.code, message: refusal.message } }, { status: refusal.status });

  const isSignin = pathname === "/signin";
  if (isPublicPath(pathname) && !isSignin) return NextResponse.next();

  const session = await sessionFromRequest(db(), { headers: req.headers, cookies: req.cookies, method: req.method });
  if (isSignin) {
    // Already signed in: the sign-in page has nothing to offer.
    if (!session) return NextResponse.next();
    return NextResponse.redirect(new URL(safeCallbackPath(req.nextUrl.searchParams.get("callbackUrl"), req.nextUrl.origin), req.url));
  }
  if (session) {
    // The generated first-admin password: nothing but the password page until it is changed
    // (tRPC refuses every other procedure too).
    if (session.user.mustChangePassword && !isApiPath(pathname) && pathname !== ACCOUNT_PATH) {
      return NextResponse.redirect(new URL(ACCOUNT_PATH, req.url));
    }
    return NextResponse.next();
  }
  if (isApiPath(pathname)) {
    return NextResponse.json(
      { error: { code: "UNAUTHORIZED", message: "Sign in required: this endpoint needs a session cookie from /signin." } },
      { status: 401 },
    );
  }
  const to = new URL("/signin", req.url);
  const back = pathname + search;
  if (back !== "/") to.searchParams.set("callbackUrl", back);
  return NextResponse.redirect(to);
}

export const config = {
  // Static assets and the public probes (/health/*, /api/metrics: polled by monitors, no
  // session, no secrets) skip proxy() entirely; everything else goes through it.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|health/|api/metrics$).*)"],
};
