// Which address a request really comes from. `next start` keeps an X-Forwarded-For sent by any
// client and only fills it in when absent, so a client talking to Next directly could claim any
// address (30 sign-in failures with rotating values, none throttled). The Exit Brain web server
// (scripts/web-server.ts) resolves the address from the socket before Next sees the request:
// X-Forwarded-For is believed only when the connection comes from a proxy listed in
// TRUSTED_PROXIES, and only up to the first hop that is not itself a trusted proxy. It then
// overwrites X-Forwarded-For with that one address and marks the process (RESOLVED_MARK), so
// clientIp() knows the header can be trusted.
import { BlockList, isIP } from "node:net";

/** Set on globalThis by the web server once it rewrites X-Forwarded-For on every request. */
export const RESOLVED_MARK = Symbol.for("exit-brain.client-address-resolved");

export class TrustedProxiesError extends Error {
  override name = "TrustedProxiesError";
}

/** "::ffff:10.0.0.1" -> "10.0.0.1"; anything that is not an IP address -> null. */
export function normalizeAddress(raw: string | undefined | null): string | null {
  let a = (raw ?? "").trim();
  if (a.startsWith("[") && a.includes("]")) a = a.slice(1, a.indexOf("]")); // [::1]:port
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":")); // 1.2.3.4:port
  if (a.toLowerCase().startsWith("::ffff:") && isIP(a.slice(7)) === 4) a = a.slice(7);
  return isIP(a) ? a.toLowerCase() : null;
}

/**
 * Parses TRUSTED_PROXIES: comma-separated addresses or CIDR ranges ("127.0.0.1, 10.0.0.0/8,
 * fd00::/8"). Empty: no proxy is trusted. Throws naming the bad entry.
 */
export function parseTrustedProxies(raw: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits, extra] = entry.split("/");
    const ip = normalizeAddress(addr);
    const family = ip ? (isIP(ip) === 6 ? "ipv6" : "ipv4") : null;
    const prefix = bits === undefined ? null : Number(bits);
    const maxBits = family === "ipv6" ? 128 : 32;
    if (!ip || !family || extra !== undefined || (prefix !== null && (!Number.isInteger(prefix) || prefix < 0 || prefix > maxBits))) {
      throw new TrustedProxiesError(
        `TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, fd00::/8).`,
      );
    }
    if (prefix === null) list.addAddress(ip, family);
    else list.addSubnet(ip, prefix, family);
  }
  return list;
}

function trusted(list: BlockList, ip: string): boolean {
  return list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For entry that is not a trusted proxy (entries left of it could be made up by the
 * client). "unknown" when nothing usable is left.
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, proxies: BlockList): string {
  const socket = normalizeAddress(peer);
  if (!socket) return "unknown";
  if (!trusted(proxies, socket)) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    if (!hop) return "unknown"; // garbage from a proxy we trust: do not guess further
    if (!trusted(proxies, hop)) return hop;
  }
  return socket; // every hop is a trusted proxy: the request started inside
}

export function clientAddressResolved(): boolean {
  return (globalThis as Record<symbol, unknown>)[RESOLVED_MARK] === true;
}
