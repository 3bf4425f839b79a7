// The session-signing secret when NEXTAUTH_SECRET is unset: DATA_DIR/session-secret, created on
// the first `npm start` (mode 0600, readable only by the OS user running the product) and handed
// to the WEB process alone, as NEXTAUTH_SECRET in its environment.
//
// Why not in the database (where it was, table auth_secret): the runtime login is shared by the
// web, the worker and every operator's CLI, and whoever can read the secret can mint a session
// cookie for any user, an admin included. A SECURITY DEFINER function returning it would be
// callable by that same login, so it would protect nothing. The web is the only process that
// signs sessions, so only the web gets it. Several web hosts on one database must share one
// NEXTAUTH_SECRET (set it explicitly there).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, link, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export const SESSION_SECRET_FILE = "session-secret";
const MIN_LENGTH = 32;

/**
 * Reads DATA_DIR/session-secret, or creates it. On the first start after an upgrade the secret an
 * older build kept in auth_secret is carried over (read with the owner login), so signed-in
 * operators stay signed in; then it is removed from the database.
 */
export async function loadOrCreateSessionSecret(dataDir: string, ownerUrl?: string): Promise<string> {
  const file = path.resolve(dataDir, SESSION_SECRET_FILE);
  if (existsSync(file)) {
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    const secret = (await readFile(file, "utf8")).trim();
    if (secret.length < MIN_LENGTH) {
      throw new Error(`${file} holds a session secret shorter than ${MIN_LENGTH} characters. Delete the file to generate a new one (everyone signs in again), or set NEXTAUTH_SECRET.`);
    }
    return secret;
  }
  const carried = ownerUrl ? await takeLegacySecret(ownerUrl) : null;
  const secret = carried ?? randomBytes(32).toString("base64url");
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(tmp, "wx", 0o600);
  try {
    await handle.writeFile(`${secret}\n`);
  } finally {
    await handle.close();
  }
  // link() fails if the file exists: when two processes create it at once, exactly one key wins
  // and the other reads it, so no process signs with a key the file does not hold.
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return (await readFile(file, "utf8")).trim();
  } finally {
    await unlink(tmp).catch(() => {});
  }
  if (carried && ownerUrl) await forgetLegacySecret(ownerUrl);
  return secret;
}

async function takeLegacySecret(ownerUrl: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ secret: string }>(`SELECT secret FROM auth_secret WHERE id = 1`).catch(() => ({ rows: [] as { secret: string }[] }));
    return rows[0]?.secret && rows[0].secret.length >= MIN_LENGTH ? rows[0].secret : null;
  } finally {
    await c.end();
  }
}

async function forgetLegacySecret(ownerUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query(`DELETE FROM auth_secret`).catch(() => {});
  } finally {
    await c.end();
  }
}
