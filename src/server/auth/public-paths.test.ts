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
});
