// One QueryClient recipe for both sides of a page: the server builds one per request
// (src/trpc/server.tsx) to prefetch a page's first queries; the browser builds one per tab
// (src/trpc/react.tsx) and hydrates it from what the server sent. Data crosses from one to the
// other through superjson, as tRPC answers do (Dates and the like survive the trip).
import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Every page polls (1-3 s); a short staleTime only spares a remount's refetch.
      queries: { staleTime: 500, retry: 1 },
      dehydrate: {
        serializeData: superjson.serialize,
        // Only answers: a failed server prefetch (a role the user lacks, a database hiccup) is not
        // sent; the client asks again and shows the error the way it always has.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query),
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
