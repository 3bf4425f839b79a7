// For server components and route handlers: the session of the current request, or null.
// Web-only (next/headers): "server-only" makes a client component that imports it fail the build.
// The worker, the CLI and the tests never import this file (they would throw: they run without the
// react-server condition), which is why the guard sits here and not on shared src/server modules.
import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { db } from "../db/client";
import { sessionFromRequest, type Session } from "./session";

/**
 * Resolved once per server render (React cache): the layout, the page and the page's tRPC
 * prefetches (src/trpc/server.ts) share one answer. Outside a render (route handlers) every call
 * resolves afresh.
 */
export const currentSession = cache(async (): Promise<Session | null> => {
  return sessionFromRequest(db(), { headers: await headers(), cookies: await cookies() });
});
