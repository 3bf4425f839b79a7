// Prisma over the pg driver adapter. Factories take the URL explicitly so tests and the CLI
// can point at their own database; `db()` is the process-wide instance for web and worker.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";
import { resolveDatabaseUrl } from "./connection";

export type Db = PrismaClient;

export function createDb(connectionString: string, opts: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString, max: opts.max ?? 10 });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { __exitBrainDb?: Db };

/** Process-wide client (survives Next.js hot reloads in dev). */
export function db(): Db {
  globalForDb.__exitBrainDb ??= createDb(resolveDatabaseUrl());
  return globalForDb.__exitBrainDb;
}
