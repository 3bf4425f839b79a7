// The server-side tRPC client (src/trpc/server.ts) calls the router in-process, past the HTTP
// route's cross-site/CSRF checks, so it must never carry a mutation: this link refuses anything
// that is not a query before it reaches the router.
import { TRPCClientError, type TRPCLink } from "@trpc/client";
import type { AnyTRPCRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";

export function queriesOnlyLink<TRouter extends AnyTRPCRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      op.type === "query"
        ? next(op)
        : observable((observer) => {
            observer.error(
              TRPCClientError.from(new Error(`${op.path} is a ${op.type}: the server prefetches queries only; send it from the browser through /api/trpc.`)),
            );
          });
}
