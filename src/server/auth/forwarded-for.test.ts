import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";
import { normalizeAddress, parseTrustedProxies, resolveClientAddress, TrustedProxiesError } from "./forwarded-for";

describe("resolveClientAddress", () => {
  const none = parseTrustedProxies("");
  const proxies = parseTrustedProxies("127.0.0.1, 10.0.0.0/8, fd00::/8");

  it("[SECURITY] with no trusted proxy, X-Forwarded-For is ignored: the socket address counts", () => {
    for (let i = 0; i < 30; i++) expect(resolveClientAddress("203.0.113.9", `198.51.100.${i}`, none)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:203.0.113.9", "1.2.3.4", none)).toBe("203.0.113.9");
  });

  it("[SECURITY] from a client that is not a listed proxy, X-Forwarded-For is ignored", () => {
    expect(resolveClientAddress("203.0.113.9", "10.1.1.1", proxies)).toBe("203.0.113.9");
  });

  it("behind trusted proxies, the right-most hop that is not a proxy counts (left ones can be forged)", () => {
    expect(resolveClientAddress("127.0.0.1", "198.51.100.7", proxies)).toBe("198.51.100.7");
    expect(resolveClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", proxies)).toBe("198.51.100.7");
    expect(resolveClientAddress("127.0.0.1", ["6.6.6.6", "198.51.100.7"], proxies)).toBe("198.51.100.7");
    expect(resolveClientAddress("fd00::1", "2001:db8::5", proxies)).toBe("2001:db8::5");
    expect(resolveClientAddress("127.0.0.1", undefined, proxies)).toBe("127.0.0.1");
    expect(resolveClientAddress("127.0.0.1", "not-an-ip", proxies)).toBe("unknown");
    expect(resolveClientAddress(undefined, "1.2.3.4", proxies)).toBe("unknown");
  });

  it("refuses a malformed TRUSTED_PROXIES entry, naming it", () => {
    for (const bad of ["localhost", "10.0.0.0/33", "1.2.3.4/8/1", "::1/129"]) {
      expect(() => parseTrustedProxies(bad)).toThrow(TrustedProxiesError);
      expect(() => parseTrustedProxies(bad)).toThrow(`"${bad}"`);
    }
  });

  it("normalises addresses", () => {
    expect(normalizeAddress("[::1]:443")).toBe("::1");
    expect(normalizeAddress("1.2.3.4:80")).toBe("1.2.3.4");
    expect(normalizeAddress("evil")).toBeNull();
  });
});

describe("clientIp", () => {
  it("[SECURITY] believes X-Forwarded-For only when the web server resolved it", () => {
    const h = new Headers({ "x-forwarded-for": "198.51.100.1" });
    expect(clientIp(h, true)).toBe("198.51.100.1");
    expect(clientIp(h, false)).toBe("unknown");
    expect(clientIp({ "x-forwarded-for": ["198.51.100.2"] }, true)).toBe("198.51.100.2");
  });
});
