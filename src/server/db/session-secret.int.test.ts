// The session secret as `npm start` provides it: a file under DATA_DIR (mode 0600) handed to the
// web process only. An upgraded installation keeps its secret (operators stay signed in), and the
// copy an older build kept in auth_secret is removed, so the runtime login finds no secret in the
// database to mint a session cookie with.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { loadOrCreateSessionSecret, SESSION_SECRET_FILE } from "./session-secret";

let t: TestDatabase;
const dirs: string[] = [];
beforeAll(async () => {
  t = await createTestDatabase("sessionsecret");
});
afterAll(async () => {
  await t?.drop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), "eb-secret-"));
  dirs.push(d);
  return d;
}

describe("session secret file", () => {
  it("processes creating it at the same time all get the one key the file holds", async () => {
    const dir = await dataDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSessionSecret(dir)));
    const onDisk = (await readFile(path.join(dir, SESSION_SECRET_FILE), "utf8")).trim();
    expect(new Set(keys)).toEqual(new Set([onDisk]));
    expect((await stat(path.join(dir, SESSION_SECRET_FILE))).mode & 0o777).toBe(0o600);
  });

  it("carries an older build's secret over from auth_secret into DATA_DIR (0600) and removes it from the database", async () => {
    const legacy = "L".repeat(43);
    await t.ownerDb.$executeRawUnsafe(`INSERT INTO auth_secret (id, secret) VALUES (1, '${legacy}')`);
    const dir = await dataDir();
    expect(await loadOrCreateSessionSecret(dir, t.ownerUrl)).toBe(legacy);
    const file = path.join(dir, SESSION_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, "utf8")).trim()).toBe(legacy);
    // The secret is gone from the database, and the login web, worker and CLI use may not even look.
    expect(await t.ownerDb.$queryRawUnsafe(`SELECT secret FROM auth_secret`)).toEqual([]);
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    try {
      await expect(c.query(`SELECT secret FROM auth_secret`)).rejects.toThrow(/permission denied for table auth_secret/);
    } finally {
      await c.end();
    }
    // Later starts read the file.
    expect(await loadOrCreateSessionSecret(dir, t.ownerUrl)).toBe(legacy);
  });

  it("generates a strong one on a fresh installation, tightens a file readable by others, refuses a short one", async () => {
    const dir = await dataDir();
    const secret = await loadOrCreateSessionSecret(dir);
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const file = path.join(dir, SESSION_SECRET_FILE);
    await chmod(file, 0o644);
    expect(await loadOrCreateSessionSecret(dir)).toBe(secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFile(file, "short\n");
    await expect(loadOrCreateSessionSecret(dir)).rejects.toThrow(/shorter than 32 characters.*Delete the file.*NEXTAUTH_SECRET/);
  });
});
