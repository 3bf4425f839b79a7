import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "../../../../env.js";
import { appRouter } from "../../../../server/api/root";
import { createContext, MAX_BATCH_SIZE } from "../../../../server/api/trpc";
import { appOrigins, checkRequest, refusalResponse } from "../../../../server/auth/request-guard";

export const dynamic = "force-dynamic";

async function handler(req: Request): Promise<Response> {
  // The proxy refuses these first; checked again here in case it is ever bypassed.
  const refusal = checkRequest(
    { method: req.method, pathname: new URL(req.url).pathname, headers: req.headers },
    appOrigins(req.headers, req.url, env().NEXTAUTH_URL),
  );
  if (refusal) return refusalResponse(refusal);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => createContext({ headers: req.headers, method: req.method }),
  });
}

export { handler as GET, handler as POST };
