import { describe, expect, it } from "vitest";
import { envSchema } from "../src/env.js";
import { childEnvironment, scrubOwnEnvironment, SECRET_OWNERS, SECRET_PATTERN } from "./child-env";

const shell = {
  PATH: "/usr/bin",
  HOME: "/home/op",
  LC_ALL: "C.UTF-8",
  DATABASE_URL: "postgresql://app:pw@db/exit_brain",
  MIGRATION_DATABASE_URL: "postgresql://owner:pw@db/exit_brain",
  NEXTAUTH_SECRET: "s".repeat(40),
  NEXTAUTH_URL: "https://brain.example.com",
  ADMIN_PASSWORD: "first-admin-password",
  ADMIN_EMAIL: "ops@example.com",
  BINANCE_API_KEY: "binance-key",
  BINANCE_API_SECRET: "binance-secret",
  SIM_API_KEY: "sim-key",
  SIM_API_SECRET: "sim-secret",
  SIM_PORT: "8790",
  WATCHDOG_WEBHOOK_URL: "https://hooks.example.com/x",
  EXIT_MODE: "EXIT_BRAIN_V3",
  WEB_PORT: "3000",
  LOG_LEVEL: "info",
  AWS_SECRET_ACCESS_KEY: "aws",
  GITHUB_TOKEN: "gh",
  SOME_OTHER_TOOL: "x",
};

describe("[SECURITY] childEnvironment", () => {
  it("exchange keys and the webhook reach only the worker", () => {
    const worker = childEnvironment("worker", shell);
    expect(worker).toMatchObject({ BINANCE_API_KEY: "binance-key", BINANCE_API_SECRET: "binance-secret", WATCHDOG_WEBHOOK_URL: "https://hooks.example.com/x", DATABASE_URL: shell.DATABASE_URL, EXIT_MODE: "EXIT_BRAIN_V3" });
    for (const child of ["web", "sim"] as const) {
      const e = childEnvironment(child, shell);
      expect(e).not.toHaveProperty("BINANCE_API_KEY");
      expect(e).not.toHaveProperty("BINANCE_API_SECRET");
      expect(e).not.toHaveProperty("WATCHDOG_WEBHOOK_URL");
    }
  });

  it("ADMIN_PASSWORD reaches no child; the session secret only the web server", () => {
    for (const child of ["web", "worker", "sim"] as const) expect(childEnvironment(child, shell)).not.toHaveProperty("ADMIN_PASSWORD");
    expect(childEnvironment("web", shell).NEXTAUTH_SECRET).toBe(shell.NEXTAUTH_SECRET);
    expect(childEnvironment("worker", shell)).not.toHaveProperty("NEXTAUTH_SECRET");
  });

  it("the simulator gets its own settings and nothing about the database", () => {
    expect(childEnvironment("sim", shell)).toEqual({ PATH: "/usr/bin", HOME: "/home/op", LC_ALL: "C.UTF-8", SIM_API_KEY: "sim-key", SIM_API_SECRET: "sim-secret", SIM_PORT: "8790", LOG_LEVEL: "info" });
  });

  it("nothing outside the allowlist is passed on; an unclassified secret-looking setting reaches nobody", () => {
    for (const child of ["web", "worker", "sim"] as const) {
      const e = childEnvironment(child, shell);
      expect(e).not.toHaveProperty("AWS_SECRET_ACCESS_KEY");
      expect(e).not.toHaveProperty("GITHUB_TOKEN");
      expect(e).not.toHaveProperty("SOME_OTHER_TOOL");
      expect(e).not.toHaveProperty("MIGRATION_DATABASE_URL");
    }
    expect(childEnvironment("web", shell)).toMatchObject({ NEXTAUTH_URL: shell.NEXTAUTH_URL, ADMIN_EMAIL: "ops@example.com", WEB_PORT: "3000" });
  });

  it("every classified secret is a real setting", () => {
    const settings = Object.keys(envSchema.shape);
    for (const name of Object.keys(SECRET_OWNERS)) expect(settings).toContain(name);
    expect(SECRET_PATTERN.test("BINANCE_API_SECRET")).toBe(true);
  });

  it("start.ts keeps only system variables for itself (concurrently merges its environment into every child's)", () => {
    const own: Record<string, string | undefined> = { ...shell };
    scrubOwnEnvironment(own);
    expect(own).toEqual({ PATH: "/usr/bin", HOME: "/home/op", LC_ALL: "C.UTF-8" });
  });
});
