// Resolves where the database is for a process that did not start it (CLI, tests, web, worker):
// DATABASE_URL, or the embedded server started by `npm start`.
import { databaseUrl, env, ownerDatabaseUrl } from "../../env.js";

/** The runtime login: what web, worker and CLI use. */
export function resolveDatabaseUrl(): string {
  return databaseUrl(env());
}

/** The owner login: migrations and admin commands (`exit-brain policy`). */
export function resolveOwnerDatabaseUrl(): string {
  return ownerDatabaseUrl(env());
}

/** Makes "cannot connect" errors say what to do. */
export function describeConnectionError(url: string, err: unknown): string {
  const safe = url.replace(/:\/\/([^:@/]+):[^@/]*@/, "://$1:***@");
  const reason = err instanceof Error ? err.message : String(err);
  return `Cannot reach PostgreSQL at ${safe} (${reason}). Start the product with \`npm start\` (it starts the embedded database), or set DATABASE_URL to a reachable server.`;
}
