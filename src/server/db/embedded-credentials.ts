// The embedded server's passwords: generated on first start and kept in DATA_DIR/pg-credentials.json
// (mode 0600, readable only by the OS user that runs `npm start`), instead of the password that
// was hard-coded before (`exit_brain`), which anyone who could reach the port could use.
//   superuser  `postgres`: only `npm start` uses it, to create and update the two roles below
//   owner      runs the migrations and admin commands (`exit-brain policy`)
//   runtime    what web, worker and CLI connect as (src/server/db/roles.ts)
// src/env.js reads the runtime entry (embeddedDatabaseUrl) so the CLI finds the database.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, open, readFile, rename, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_OWNER_ROLE, DEFAULT_RUNTIME_ROLE } from "./roles";

export const CREDENTIALS_FILE = "pg-credentials.json";
/** The password every embedded cluster got before issue 13; replaced at the next start. */
export const LEGACY_EMBEDDED_PASSWORD = "exit_brain";

const Login = z.object({ name: z.string().min(1), password: z.string().min(16) });
const CredentialsSchema = z.object({ superuser: Login, owner: Login, runtime: Login });
export type EmbeddedCredentials = z.infer<typeof CredentialsSchema>;

export function credentialsPath(dataDir: string): string {
  return path.resolve(dataDir, CREDENTIALS_FILE);
}

const secret = () => randomBytes(24).toString("base64url");

/**
 * Reads the file, or creates it (exclusively, mode 0600) with fresh passwords. A file that is
 * readable by others is tightened to 0600; one that cannot be parsed is an error naming it.
 */
export async function loadOrCreateCredentials(dataDir: string): Promise<{ credentials: EmbeddedCredentials; created: boolean }> {
  const file = credentialsPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  if (!existsSync(file)) {
    const credentials: EmbeddedCredentials = {
      superuser: { name: "postgres", password: secret() },
      owner: { name: DEFAULT_OWNER_ROLE, password: secret() },
      runtime: { name: DEFAULT_RUNTIME_ROLE, password: secret() },
    };
    // Write a temporary file with O_EXCL and mode 0600 from the start (never a moment readable
    // by others), then rename: a crash never leaves a half-written file behind.
    const tmp = `${file}.${process.pid}.tmp`;
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(credentials, null, 2)}\n`);
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    return { credentials, created: true };
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const parsed = CredentialsSchema.safeParse(JSON.parse(await readFile(file, "utf8").catch(() => "null")));
  if (!parsed.success) {
    throw new Error(`${file} is not a valid credentials file (${parsed.error.issues[0]?.message ?? "unreadable"}). Restore it from a backup; it holds the embedded database's passwords.`);
  }
  return { credentials: parsed.data, created: false };
}
