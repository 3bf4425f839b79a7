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

const PLACEHOLDER_ORIGIN = "http://exit-brain.invalid";

/**
 * Where to go after signing in, as a path on this app. The raw value is resolved the way a
 * browser would resolve it against the app's origin (tabs and newlines dropped, "\\" read as
 * "/", dot segments removed) and must stay on that origin, so "/%09/evil.example",
 * "//evil.example", "/\\evil.example" and "https://evil.example/" all fall back to "/". A full URL
 * on the app's own origin is accepted and made relative.
 */
export function safeCallbackPath(raw: string | null | undefined, origin: string = PLACEHOLDER_ORIGIN): string {
  const path = sameOriginPath(raw, origin);
  return path === "/signin" || path.startsWith("/signin?") || path.startsWith("/signin#") ? "/" : path;
}

/** `raw` resolved against `origin` as a path on it, or "/" when it leads anywhere else. */
export function sameOriginPath(raw: string | null | undefined, origin: string = PLACEHOLDER_ORIGIN): string {
  if (!raw) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin || (url.protocol !== "http:" && url.protocol !== "https:")) return "/";
  // "/.//evil.example" normalises to the path "//evil.example": never hand out a leading "//".
  return "/" + url.pathname.replace(/^\/+/, "") + url.search + url.hash;
}
