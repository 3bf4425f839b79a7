// Web server start-up for sign-in (called from src/instrumentation.ts): make sure the session
// secret exists and, on the very first start, create the admin.
import { env } from "../../env.js";
import { db } from "../db/client";
import { createLogger, type Logger } from "../logger";
import { ensureAdminUser } from "../services/ensure-admin-user";
import { authSecret } from "./auth-secret";

export async function startAuth(log: Logger = createLogger({ name: "web", level: env().LOG_LEVEL, file: env().LOG_FILE })): Promise<void> {
  const e = env();
  if (!e.NEXTAUTH_SECRET) {
    await authSecret();
    log.info("[AUTH] NEXTAUTH_SECRET is not set: using the generated secret stored in the database (auth_secret)");
  } else if (e.NEXTAUTH_SECRET.length < 32) {
    log.warn("[AUTH] NEXTAUTH_SECRET is shorter than 32 characters; use e.g. `openssl rand -base64 32`");
  }
  const result = await ensureAdminUser(db(), { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD });
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
      "  Sign in and change it: exit-brain user passwd --email " + result.email,
      bar,
    ].join("\n"),
  );
}
