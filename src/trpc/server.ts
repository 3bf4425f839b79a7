// Server side of the dashboard's tRPC (the create-t3-app pattern for tRPC v11 +
// @trpc/tanstack-react-query): a page's page.tsx, a server component, prefetches the queries its
// client components use, then wraps them in <HydrateClient>, so the HTML arrives with the data and
// the client's useQuery starts from it instead of a round trip after hydration.
//
// Read-only by construction: calls go to the router in-process (no HTTP, so none of the proxy's or
// route's cross-site/CSRF checks apply), which is why only queries pass; a mutation is refused
// here and must go through /api/trpc from the browser as before. The caller is the signed-in user
// of this request (the same session resolution as every other caller), and every procedure checks
// its role as it does over HTTP: a query the user may not run fails, and failed queries are not
// sent to the browser (src/trpc/query-client.ts).
import "server-only";
import { dehydrate, HydrationBoundary, type FetchQueryOptions, type QueryKey } from "@tanstack/react-query";
import { createTRPCClient, unstable_localLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cache, createElement, type ReactNode } from "react";
import superjson from "superjson";
import { appRouter, type AppRouter } from "../server/api/root";
import { createContextInner } from "../server/api/trpc";
import { currentSession } from "../server/auth/current-session";
import { queriesOnlyLink } from "./queries-only-link";
import { createQueryClient } from "./query-client";

/** One QueryClient per request: what the page prefetches is what HydrateClient sends. */
export const getQueryClient = cache(createQueryClient);

/** The request's session, resolved once however many queries the page prefetches. */
const requestContext = cache(async () => createContextInner({ session: await currentSession() }));

/** The options proxy for this request: trpc.x.y.queryOptions(input), the same keys the client uses. */
export const serverTRPC = cache(() =>
  createTRPCOptionsProxy<AppRouter>({
    client: createTRPCClient<AppRouter>({
      links: [queriesOnlyLink<AppRouter>(), unstable_localLink({ router: appRouter, createContext: requestContext, transformer: superjson })],
    }),
    queryClient: getQueryClient,
  }),
);

/**
 * Runs the query now, into the request's QueryClient. Await it (all of a page's, with
 * Promise.all) before rendering <HydrateClient> so the answers are in the HTML. Never throws: a
 * query that fails (a role the user lacks, a missing row) stays out of the page and the client
 * asks again, showing the error as before.
 */
export function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  query: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): Promise<void> {
  return getQueryClient().prefetchQuery(query);
}

/** Sends what this request prefetched to the browser's QueryClient (dehydrated with superjson). */
export function HydrateClient({ children }: { children: ReactNode }) {
  return createElement(HydrationBoundary, { state: dehydrate(getQueryClient()) }, children);
}
