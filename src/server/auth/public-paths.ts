// Which URLs work without a session. Everything else needs one (src/proxy.ts enforces it for
// pages and routes; tRPC procedures check again on the server).
const PUBLIC_PREFIXES = ["/api/auth/", "/health/"];
const PUBLIC_EXACT = new Set(["/signin", "/api/metrics", "/api/auth", "/health", "/favicon.ico"]);

export function isPublicPath(pathname: string): boolean {
  if (PUBLIC_EXACT.has(pathname)) return true;
  if (pathname.startsWith("/_next/static/") || pathname.startsWith("/_next/image")) return true;
  return PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
}

/** API-style paths get a 401 JSON answer; pages get a redirect to /signin. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/**
 * Where to go after signing in: only a same-site path ("/x"), never "//evil.example" or a full
 * URL, so the sign-in page cannot be used as an open redirect.
 */
export function safeCallbackPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  if (raw === "/signin" || raw.startsWith("/signin?")) return "/";
  return raw;
}
