// Start-up for sign-in: make sure the session secret exists and, on the very first start, create
// the admin. `npm start` creates the admin itself (scripts/start.ts, before any child process
// starts) so ADMIN_PASSWORD never reaches the web server's environment; the web server's own
// call (src/instrumentation.ts) covers `next start` / `next dev` run by hand.
import type { Db } from "../db/client";
import { env } from "../../env.js";
import { db } from "../db/client";
import { createLogger, type Logger } from "../logger";
import { ensureAdminUser } from "../services/users/ensure-admin-user";
import { authSecret } from "./auth-secret";

export const MIN_SECRET_LENGTH = 32;

export async function startAuth(log: Logger = createLogger({ name: "web", level: env().LOG_LEVEL, file: env().LOG_FILE })): Promise<void> {
  const e = env();
  if (!e.NEXTAUTH_SECRET) {
    await authSecret();
    log.info("[AUTH] NEXTAUTH_SECRET is not set: using the generated session key in DATA_DIR/session-secret");
  } else if (e.NEXTAUTH_SECRET.length < MIN_SECRET_LENGTH) {
    // A short secret makes session cookies guessable offline: refuse to serve with it.
    throw new Error(
      `[AUTH] NEXTAUTH_SECRET is ${e.NEXTAUTH_SECRET.length} characters; it must be at least ${MIN_SECRET_LENGTH}. ` +
        "Generate one with `openssl rand -base64 32`, or unset it to use the key generated in DATA_DIR/session-secret.",
    );
  }
  await createFirstAdmin(db(), { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD }, log);
}

/** Creates the first admin when there are no users; prints a generated password once, on the console only. */
export async function createFirstAdmin(database: Db, opts: { email: string; password: string | undefined }, log: Pick<Logger, "info">): Promise<void> {
  const result = await ensureAdminUser(database, opts);
  if (!result.created) return;
  if (result.generatedPassword === null) {
    log.info(`[AUTH] no users yet: created admin ${result.email} with the password from ADMIN_PASSWORD`);
    return;
  }
  log.info(`[AUTH] no users yet: created admin ${result.email} with a generated password, printed once on the console`);
  // The password goes to the console only (not the log file), and only from the one process
  // that created the user. It is not stored anywhere in clear.
  const bar = "=".repeat(72);
  console.log(
    [
      bar,
      "  FIRST START: an admin account was created. This password is shown ONCE.",
      `    email:    ${result.email}`,
      `    password: ${result.generatedPassword}`,
      "  Sign in with it: you will be asked to set your own password before anything else.",
      bar,
    ].join("\n"),
  );
}
