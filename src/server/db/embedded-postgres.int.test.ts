// The fresh-machine path: no DATABASE_URL, so a real embedded PostgreSQL starts under a data
// directory, gets its two roles and a generated password kept in DATA_DIR (mode 0600), gets
// migrated, and keeps its data across a restart. A cluster from before, with the former
// hard-coded password, is switched to a generated one.
import { mkdtemp, readFile, rm, stat, unlink } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDb } from "./client";
import { credentialsPath, LEGACY_EMBEDDED_PASSWORD } from "./embedded-credentials";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { migrate } from "./migrate";
import { freePort } from "../../../test/free-port";


const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("embedded PostgreSQL", () => {
  it("starts, migrates, and keeps data across a restart", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "eb-embedded-"));
    dirs.push(dataDir);
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect((await migrate(first.ownerUrl, { runtimeRole: first.runtimeRole })).applied.length).toBeGreaterThan(0);
      // Generated passwords, owner-only file; the runtime login is no superuser and no owner.
      expect((await stat(credentialsPath(dataDir))).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(await readFile(credentialsPath(dataDir), "utf8")) as { superuser: { password: string }; runtime: { name: string; password: string } };
      expect(saved.superuser.password).not.toBe(LEGACY_EMBEDDED_PASSWORD);
      expect(first.url).toContain(encodeURIComponent(saved.runtime.password));
      const c = new pg.Client({ connectionString: first.url });
      await c.connect();
      try {
        const { rows } = await c.query<{ rolsuper: boolean; me: string }>("SELECT rolsuper, current_user AS me FROM pg_roles WHERE rolname = current_user");
        expect(rows[0]).toEqual({ rolsuper: false, me: saved.runtime.name });
        await expect(c.query("UPDATE exit_toggles SET id = 1")).resolves.toBeDefined(); // no row yet: nothing to refuse
        await expect(c.query("UPDATE toggle_audit SET actor = 'x'")).rejects.toThrow(/permission denied/);
      } finally {
        await c.end();
      }
      await expect(new pg.Client({ connectionString: `postgresql://postgres:${LEGACY_EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres` }).connect()).rejects.toThrow(/password authentication failed/);
      const db = createDb(first.url);
      await db.workerHeartbeat.create({
        data: { workerId: "w1", pid: 1, hostname: "h", startedAt: new Date(), beatAt: new Date() },
      });
      await db.$disconnect();
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect((await migrate(second.ownerUrl, { runtimeRole: second.runtimeRole })).applied).toEqual([]);
      const db = createDb(second.url);
      expect(await db.workerHeartbeat.count()).toBe(1);
      await db.$disconnect();
    } finally {
      await second.stop();
    }
  });

  it("a cluster initialised with the former hard-coded password gets the generated one", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "eb-embedded-legacy-"));
    dirs.push(dataDir);
    const port = await freePort();
    // As an older build left it: superuser password `exit_brain`, no credentials file.
    const old = await startEmbeddedPostgres({ dataDir, port, password: LEGACY_EMBEDDED_PASSWORD });
    await old.stop();
    await unlink(credentialsPath(dataDir));
    const upgraded = await startEmbeddedPostgres({ dataDir, port });
    try {
      const saved = JSON.parse(await readFile(credentialsPath(dataDir), "utf8")) as { superuser: { password: string } };
      const admin = new pg.Client({ connectionString: `postgresql://postgres:${encodeURIComponent(saved.superuser.password)}@127.0.0.1:${port}/postgres` });
      await admin.connect();
      await admin.end();
      await expect(new pg.Client({ connectionString: `postgresql://postgres:${LEGACY_EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres` }).connect()).rejects.toThrow(/password authentication failed/);
    } finally {
      await upgraded.stop();
    }
  });

  it("refuses a port that is already taken, naming EMBEDDED_PG_PORT", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((r) => blocker.listen(0, "127.0.0.1", () => r((blocker.address() as { port: number }).port)));
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(tmpdir(), "eb-unused"), port })).rejects.toThrow(/EMBEDDED_PG_PORT/);
    } finally {
      blocker.close();
    }
  });
});
