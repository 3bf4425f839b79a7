// The client address for per-address sign-in throttling. Only trusted when the Exit Brain web
// server (scripts/web-server.ts) has resolved it from the socket and TRUSTED_PROXIES
// (forwarded-for.ts); under a plain `next start` / `next dev` anyone can write X-Forwarded-For,
// so the address is "unknown" there and only the per-account delay applies.
import { UNKNOWN_ADDRESS } from "../services/users/address-guard";
import { clientAddressResolved } from "./forwarded-for";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function clientIp(headers: HeaderBag | undefined, resolved: boolean = clientAddressResolved()): string {
  if (!headers || !resolved) return UNKNOWN_ADDRESS;
  const ip = header(headers, "x-forwarded-for")?.split(",")[0]?.trim();
  return ip ? ip.slice(0, 100) : UNKNOWN_ADDRESS;
}
