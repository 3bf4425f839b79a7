// What every CLI command needs: the database (with a clear error when unreachable), who is
// acting, and the deployment ceilings of this shell's environment.
import { userInfo } from "node:os";
import pg from "pg";
import { createDb, type Db } from "../server/db/client";
import { describeConnectionError, resolveDatabaseUrl } from "../server/db/connection";
import { AppError } from "../server/errors";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const url = resolveDatabaseUrl();
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
  } catch (err) {
    throw new CliError(describeConnectionError(url, err), 3);
  } finally {
    await probe.end().catch(() => {});
  }
  const db = createDb(url, { max: 2 });
  try {
    return await fn(db);
  } catch (err) {
    // Domain refusals (ceilings, missing reason, confirmation) exit 2 with the service's words.
    if (err instanceof AppError) throw new CliError(err.message, 2);
    throw err;
  } finally {
    await db.$disconnect();
  }
}

export function cliActor(explicit?: string): string {
  return explicit ?? `cli:${process.env.SUDO_USER ?? userInfo().username}`;
}
