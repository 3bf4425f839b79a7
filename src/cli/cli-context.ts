// What every CLI command needs: the database (with a clear error when unreachable), who is
// acting, and the deployment ceilings of this shell's environment. Commands connect as the
// RUNTIME role; admin commands (`policy`) as the OWNER (withOwnerDb).
import { userInfo } from "node:os";
import pg from "pg";
import { createDb, type Db } from "../server/db/client";
import { describeConnectionError, resolveDatabaseUrl, resolveOwnerDatabaseUrl } from "../server/db/connection";
import { AppError } from "../server/errors";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export async function withDb<T>(fn: (db: Db) => Promise<T>, url = resolveDatabaseUrl()): Promise<T> {
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

/**
 * Admin commands: the OWNER login (MIGRATION_DATABASE_URL, or the embedded server's owner from
 * DATA_DIR/pg-credentials.json, which only the OS user running the product can read). The
 * runtime login is refused by the database itself, whatever this process claims.
 */
export function withOwnerDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return withDb(fn, resolveOwnerDatabaseUrl());
}

/**
 * Who is acting: the operating-system user this process runs as, which the caller cannot choose
 * with a flag or a variable (SUDO_USER, USER and --actor can all be typed by anyone).
 */
export function cliActor(): string {
  return `os:${userInfo().username}`;
}

/** What the caller said with --actor: kept in the audit row apart from the actor, never as it. */
export function claimedActor(given: string | undefined): string | null {
  const v = given?.trim();
  if (!v) return null;
  if (v.length > 200) throw new CliError("--actor is at most 200 characters.", 2);
  return v;
}
