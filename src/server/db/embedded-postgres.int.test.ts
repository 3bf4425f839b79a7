// The fresh-machine path: no DATABASE_URL, so a real embedded PostgreSQL starts under a data
// directory, gets migrated, and keeps its data across a restart.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "./client";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { migrate } from "./migrate";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

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
      expect((await migrate(first.url)).applied.length).toBeGreaterThan(0);
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
      expect((await migrate(second.url)).applied).toEqual([]);
      const db = createDb(second.url);
      expect(await db.workerHeartbeat.count()).toBe(1);
      await db.$disconnect();
    } finally {
      await second.stop();
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
