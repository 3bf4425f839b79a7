import { describe, expect, it } from "vitest";
import { isApiPath, isPublicPath, safeCallbackPath } from "./public-paths";

describe("isPublicPath", () => {
  it.each(["/signin", "/api/auth/session", "/api/auth/callback/credentials", "/health/exit_brain_status", "/api/metrics", "/_next/static/chunks/a.js"])(
    "%s is public",
    (p) => expect(isPublicPath(p)).toBe(true),
  );
  it.each(["/", "/audit", "/api/trpc/users.list", "/api/metricsx", "/signin-admin", "/healthz", "/api/authx"])(
    "%s needs a session",
    (p) => expect(isPublicPath(p)).toBe(false),
  );
});

describe("isApiPath", () => {
  it("separates API routes from pages", () => {
    expect(isApiPath("/api/trpc/x")).toBe(true);
    expect(isApiPath("/apis")).toBe(false);
    expect(isApiPath("/")).toBe(false);
  });
});

describe("safeCallbackPath", () => {
  it("keeps same-site paths", () => {
    expect(safeCallbackPath("/audit?x=1")).toBe("/audit?x=1");
  });
  it.each([null, undefined, "", "https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "/signin"])(
    "refuses %s",
    (raw) => expect(safeCallbackPath(raw)).toBe("/"),
  );
  // [SECURITY] issue 13: /signin?callbackUrl=/%09/evil.example answered 307 to http://evil.example/.
  // Browsers and URL parsers drop tabs and newlines and read "\\" as "/"; what the redirect
  // resolves to must stay on the app.
  it.each(["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", "/\\/evil.example", "/.//evil.example", "/./\t/evil.example", " //evil.example", "http:evil.example", "https://evil.example@localhost.evil/"])(
    "[SECURITY] %j resolves off the app, so it falls back to /",
    (raw) => {
      const path = safeCallbackPath(raw, "http://localhost:3000");
      expect(new URL(path, "http://localhost:3000").origin).toBe("http://localhost:3000");
      expect(path.startsWith("//")).toBe(false);
    },
  );
  it("accepts a full URL on the app's own origin and makes it relative", () => {
    expect(safeCallbackPath("http://localhost:3000/orders?x=1#top", "http://localhost:3000")).toBe("/orders?x=1#top");
    expect(safeCallbackPath("http://localhost:3001/orders", "http://localhost:3000")).toBe("/");
  });
});
