// The key that encrypts session cookies. NEXTAUTH_SECRET when set; otherwise one generated on
// first start and kept in PostgreSQL (auth_secret), so sessions survive restarts and every web
// process uses the same key. Never a hard-coded fallback.
import { randomBytes } from "node:crypto";
import { env } from "../../env.js";
import { db as defaultDb, type Db } from "../db/client";

/** Inserts a fresh secret unless one exists (race-safe), then returns the stored one. */
export async function loadOrCreateAuthSecret(db: Db): Promise<string> {
  await db.authSecret.createMany({ data: [{ id: 1, secret: randomBytes(32).toString("base64url") }], skipDuplicates: true });
  const row = await db.authSecret.findUniqueOrThrow({ where: { id: 1 }, select: { secret: true } });
  return row.secret;
}

let memo: Promise<string> | undefined;

export function authSecret(): Promise<string> {
  const fromEnv = env().NEXTAUTH_SECRET;
  if (fromEnv) return Promise.resolve(fromEnv);
  memo ??= loadOrCreateAuthSecret(defaultDb()).catch((err: unknown) => {
    memo = undefined; // retry on the next request rather than caching a failure
    if (/permission denied/i.test(err instanceof Error ? err.message : String(err))) {
      // The runtime database login may not read auth_secret (issue 13): the key comes from outside.
      throw new Error(
        "NEXTAUTH_SECRET is not set and this database login may not read the stored session key. Start the web app with `npm start` (it hands the web server the key from DATA_DIR/session-secret) or set NEXTAUTH_SECRET (at least 32 characters: openssl rand -base64 32).",
        { cause: err },
      );
    }
    throw err;
  });
  return memo;
}

/** Secure (`__Secure-`) cookies exactly when the public URL is https; sign-in and checks agree. */
export function secureCookiesEnabled(): boolean {
  return (env().NEXTAUTH_URL ?? "").startsWith("https://");
}
