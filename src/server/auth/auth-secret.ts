// The key that signs and encrypts session cookies: NEXTAUTH_SECRET when set (`npm start` hands
// the web process the one in DATA_DIR/session-secret); otherwise that same file, read or created
// here, so `next start` run by hand signs with the key every other web process uses. Never the
// database: the runtime login is shared with the worker and every CLI, and whoever reads the key
// can mint a session for any user (src/server/db/session-secret.ts).
import { env } from "../../env.js";
import { loadOrCreateSessionSecret } from "../db/session-secret";

let memo: Promise<string> | undefined;

export function authSecret(): Promise<string> {
  const e = env();
  if (e.NEXTAUTH_SECRET) return Promise.resolve(e.NEXTAUTH_SECRET);
  memo ??= loadOrCreateSessionSecret(e.DATA_DIR).catch((err: unknown) => {
    memo = undefined; // retry on the next request rather than caching a failure
    throw new Error(
      `NEXTAUTH_SECRET is not set and the session key in ${e.DATA_DIR}/session-secret cannot be used (${err instanceof Error ? err.message : String(err)}). Start the web app with \`npm start\`, or set NEXTAUTH_SECRET (at least 32 characters: openssl rand -base64 32).`,
      { cause: err },
    );
  });
  return memo;
}

/** Secure (`__Secure-`) cookies exactly when the public URL is https; sign-in and checks agree. */
export function secureCookiesEnabled(): boolean {
  return (env().NEXTAUTH_URL ?? "").startsWith("https://");
}
