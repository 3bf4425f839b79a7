// Cross-site request refusal for the web API, shared by the proxy (src/proxy.ts, the front door)
// and the tRPC route handler (in case the proxy is ever bypassed). Browsers send `Origin` on
// every POST and `Sec-Fetch-Site` on every request; a request from another site is refused
// whatever cookie it carries. A plain HTML form can POST `multipart/form-data`,
// `application/x-www-form-urlencoded` or `text/plain` cross-site without a CORS preflight, so the
// tRPC endpoint accepts only `application/json` bodies (which a cross-site page cannot send
// without a preflight this server never approves). Clients that are not browsers (curl, the
// benchmarks) send neither header and are judged by their session cookie alone.

export interface GuardRequest {
  method: string;
  pathname: string;
  headers: Headers;
}

export interface GuardRefusal {
  status: 403 | 415;
  code: "FORBIDDEN" | "UNSUPPORTED_MEDIA_TYPE";
  message: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The media type of a Content-Type header, lower-cased, without parameters ("" when absent). */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
}

/**
 * The app's own origins: the scheme and Host of the request itself (a browser always sends the
 * Host it connected to, so a page on another site never matches it), and NEXTAUTH_URL when
 * configured (the address users type when a proxy sits in front).
 */
export function appOrigins(headers: Headers, requestUrl: string, configuredUrl: string | undefined): string[] {
  const url = new URL(requestUrl);
  const host = headers.get("host");
  const origins = [host ? `${url.protocol}//${host}` : url.origin];
  if (configuredUrl) {
    try {
      origins.push(new URL(configuredUrl).origin);
    } catch {
      // a bad NEXTAUTH_URL is reported at start-up
    }
  }
  return origins;
}

function isTrpc(pathname: string): boolean {
  return pathname === "/api/trpc" || pathname.startsWith("/api/trpc/");
}

/**
 * Null when the request may proceed; otherwise why it is refused. Checked for every tRPC call
 * and for every state-changing request to any route.
 */
export function checkRequest(req: GuardRequest, origins: readonly string[]): GuardRefusal | null {
  const method = req.method.toUpperCase();
  const trpc = isTrpc(req.pathname);
  if (!trpc && SAFE_METHODS.has(method)) return null;

  const site = req.headers.get("sec-fetch-site")?.toLowerCase();
  if (site && site !== "same-origin" && site !== "none") {
    return {
      status: 403,
      code: "FORBIDDEN",
      message: `Cross-site request refused (Sec-Fetch-Site: ${site}): the Exit Brain API only answers pages it served itself.`,
    };
  }
  const from = req.headers.get("origin");
  if (from !== null && !origins.includes(from)) {
    return {
      status: 403,
      code: "FORBIDDEN",
      message: `Cross-origin request refused (Origin: ${from.slice(0, 100)}, this app is ${origins.join(" or ")}). Open the dashboard at ${origins.at(-1)}; if it sits behind a proxy, set NEXTAUTH_URL to the address users type.`,
    };
  }
  if (trpc && !SAFE_METHODS.has(method) && mediaType(req.headers.get("content-type")) !== "application/json") {
    const got = mediaType(req.headers.get("content-type")) || "none";
    return {
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: `The tRPC API accepts only Content-Type: application/json (got ${got}); send the call as JSON.`,
    };
  }
  return null;
}

/** The refusal as a JSON answer in tRPC's error shape (what the dashboard's client expects). */
export function refusalResponse(r: GuardRefusal): Response {
  return Response.json({ error: { code: r.code, message: r.message } }, { status: r.status });
}
