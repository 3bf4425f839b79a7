// The server-side client's guard: queries pass to the router, mutations never reach it.
import { createTRPCClient, unstable_localLink } from "@trpc/client";
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { queriesOnlyLink } from "./queries-only-link";

const t = initTRPC.create({ transformer: superjson });
const calls: string[] = [];
const router = t.router({
  read: t.procedure.query(() => {
    calls.push("read");
    return { at: new Date(0) };
  }),
  write: t.procedure.mutation(() => {
    calls.push("write");
    return "written";
  }),
});

describe("queriesOnlyLink", () => {
  const client = createTRPCClient<typeof router>({
    links: [queriesOnlyLink(), unstable_localLink({ router, createContext: async () => ({}), transformer: superjson })],
  });

  it("passes a query through to the router, with superjson intact", async () => {
    calls.length = 0;
    expect(await client.read.query()).toEqual({ at: new Date(0) });
    expect(calls).toEqual(["read"]);
  });

  it("refuses a mutation before the router runs it, saying where it must go instead", async () => {
    calls.length = 0;
    await expect(client.write.mutate()).rejects.toThrow(/write is a mutation: the server prefetches queries only.*\/api\/trpc/);
    expect(calls).toEqual([]);
  });
});
