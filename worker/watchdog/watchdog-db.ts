// The watchdog's own small connection pool, separate from the worker's, with short timeouts:
// a busy or hung executor pool must never starve it, and a hung database must turn into a
// failed check (retried next interval), never a stuck loop.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../src/generated/prisma/client";
import type { Db } from "../../src/server/db/client";

export function createWatchdogDb(connectionString: string): Db {
  const adapter = new PrismaPg({
    connectionString,
    max: 2,
    connectionTimeoutMillis: 3_000,
    query_timeout: 5_000,
    statement_timeout: 5_000,
    idleTimeoutMillis: 10_000,
  });
  return new PrismaClient({ adapter });
}
