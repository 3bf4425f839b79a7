// "OK" when a tRPC call succeeds, else its error code (for tests that tabulate refusals).
import { TRPCError } from "@trpc/server";

export async function trpcOutcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}
