import { describe, expect, it } from "vitest";
import { appOrigins, checkRequest, mediaType } from "./request-guard";

const APP = ["http://localhost:3000"];
const req = (method: string, pathname: string, headers: Record<string, string> = {}) => ({ method, pathname, headers: new Headers(headers) });

describe("checkRequest", () => {
  it("lets the dashboard's own JSON calls through (same origin, or no browser headers at all)", () => {
    expect(checkRequest(req("POST", "/api/trpc/toggles.killSwitch", { "content-type": "application/json", origin: APP[0]!, "sec-fetch-site": "same-origin" }), APP)).toBeNull();
    expect(checkRequest(req("POST", "/api/trpc/toggles.killSwitch", { "content-type": "application/json; charset=utf-8" }), APP)).toBeNull();
    expect(checkRequest(req("GET", "/api/trpc/health.exitBrainStatus", { "sec-fetch-site": "same-origin" }), APP)).toBeNull();
    expect(checkRequest(req("GET", "/orders", { "sec-fetch-site": "cross-site" }), APP)).toBeNull(); // a link to a page
  });

  // [SECURITY] issue 13: a cross-site form POST with an operator's cookie pulled the kill switch.
  it.each(["multipart/form-data; boundary=x", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded", ""])(
    "[SECURITY] a tRPC POST with content-type %j is refused (415), even with no Origin",
    (type) => {
      const r = checkRequest(req("POST", "/api/trpc/toggles.killSwitch", type ? { "content-type": type } : {}), APP);
      expect(r?.status).toBe(415);
      expect(r?.message).toMatch(/only Content-Type: application\/json/);
    },
  );

  it("[SECURITY] a request from another origin or site is refused (403), JSON or not", () => {
    const evil = { "content-type": "application/json", origin: "http://evil.example" };
    expect(checkRequest(req("POST", "/api/trpc/toggles.killSwitch", evil), APP)?.status).toBe(403);
    expect(checkRequest(req("POST", "/api/trpc/toggles.killSwitch", { "content-type": "application/json", "sec-fetch-site": "cross-site" }), APP)?.status).toBe(403);
    expect(checkRequest(req("POST", "/api/trpc/toggles.killSwitch", { "content-type": "application/json", "sec-fetch-site": "same-site" }), APP)?.status).toBe(403);
    expect(checkRequest(req("GET", "/api/trpc/users.list", { "sec-fetch-site": "cross-site" }), APP)?.status).toBe(403);
    expect(checkRequest(req("POST", "/api/auth/callback/credentials", { origin: "http://evil.example" }), APP)?.status).toBe(403);
    expect(checkRequest(req("POST", "/api/trpc/x", { "content-type": "application/json", origin: "null" }), APP)?.status).toBe(403);
  });

  it("names the origin it expected", () => {
    expect(checkRequest(req("POST", "/api/trpc/x", { "content-type": "application/json", origin: "http://evil.example" }), APP)?.message).toContain(APP[0]);
  });
});

describe("appOrigins / mediaType", () => {
  it("the request's scheme and Host, plus NEXTAUTH_URL when set", () => {
    expect(appOrigins(new Headers({ host: "x:1" }), "http://x:1/a", "https://brain.example.com/base")).toEqual(["http://x:1", "https://brain.example.com"]);
    expect(appOrigins(new Headers({ host: "127.0.0.1:3000" }), "http://localhost:3000/a", undefined)).toEqual(["http://127.0.0.1:3000"]);
    expect(appOrigins(new Headers(), "http://localhost:3000/a", "not a url")).toEqual(["http://localhost:3000"]);
  });
  it("reads the media type without parameters, case-insensitively", () => {
    expect(mediaType("Application/JSON; charset=UTF-8")).toBe("application/json");
    expect(mediaType(null)).toBe("");
  });
});
