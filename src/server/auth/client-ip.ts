// The client address for per-IP rate limiting. `next start` fills x-forwarded-for with the
// socket address when a request arrives without one; behind a reverse proxy the proxy sets it.
// A client talking to Next directly can forge it, which is why the per-email limit is the
// primary guard and this one only slows down one address trying many accounts.
type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function clientIp(headers: HeaderBag | undefined): string {
  if (!headers) return "unknown";
  const forwarded = header(headers, "x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || header(headers, "x-real-ip")?.trim();
  return ip ? ip.slice(0, 100) : "unknown";
}
