// A user's clone often sits in a folder only its owner can enter (/root in most containers, any
// `mktemp -d`). The embedded PostgreSQL must start from there, as root and as a normal user.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canTraverse, planEmbeddedLayout } from "./embedded-layout";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { findPostgresBinaries } from "./postgres-binaries";
import { initCluster, startServer } from "./postgres-process";
import pg from "pg";
import { freePort } from "../../../test/free-port";


const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

async function ownerOnlyDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "eb-owner-only-")); // mode 0700
  cleanup.push(dir);
  return dir;
}

describe("embedded PostgreSQL from an owner-only folder", () => {
  it("starts, answers queries and keeps its data across a restart", async () => {
    const home = await ownerOnlyDir();
    const dataDir = path.join(home, ".data");
    const port = await freePort();
    const notices: string[] = [];
    const first = await startEmbeddedPostgres({ dataDir, port, notice: (l) => notices.push(l) });
    try {
      // The owner login: the runtime one (first.url) may not create tables.
      const c = new pg.Client({ connectionString: first.ownerUrl });
      await c.connect();
      await c.query("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
      await c.end();
    } finally {
      await first.stop();
    }
    if (userInfo().uid === 0) {
      // Root: the server runs as `postgres`, which cannot enter the folder; the data was placed
      // elsewhere, and the folder says where.
      expect(notices.join("\n")).toMatch(/not reachable by the 'postgres' user/);
      const pointer = await readFile(path.join(dataDir, "POSTGRES_DATA_LOCATION.txt"), "utf8");
      const relocated = /lives in (\S+)/.exec(pointer)?.[1];
      expect(relocated).toBeTruthy();
      cleanup.push(path.dirname(relocated!));
    } else {
      expect(notices).toEqual([]);
    }
    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      const c = new pg.Client({ connectionString: second.ownerUrl });
      await c.connect();
      expect((await c.query("SELECT v FROM kept")).rows).toEqual([{ v: 42 }]);
      await c.end();
    } finally {
      await second.stop();
    }
  });

  it.runIf(userInfo().uid === 0)("as root, copies binaries that sit in an owner-only folder (a clone in /root) and runs the copy", async () => {
    const bins = await findPostgresBinaries();
    const home = await ownerOnlyDir();
    const nativeDir = path.join(home, "node_modules", "native");
    await cp(bins.nativeDir, nativeDir, { recursive: true, verbatimSymlinks: true });
    const version = `test-${process.pid}-${Date.now()}`;
    const layout = await planEmbeddedLayout({ nativeDir, version }, path.join(home, ".data"));
    cleanup.push(path.dirname(layout.binDir), path.dirname(layout.databaseDir));
    expect(layout.binDir.startsWith(home)).toBe(false);
    expect(layout.notes.join("\n")).toMatch(/using a copy in/);
    expect(await canTraverse(layout.runAs!, layout.binDir)).toBe(true);
    expect(await canTraverse(layout.runAs!, nativeDir)).toBe(false);
    await initCluster(layout, "pw", () => {});
    const port = await freePort();
    const server = await startServer(layout, port, () => {});
    try {
      const c = new pg.Client({ connectionString: `postgresql://postgres:pw@127.0.0.1:${port}/postgres` });
      await c.connect();
      expect((await c.query("SELECT current_user AS u")).rows).toEqual([{ u: "postgres" }]);
      await c.end();
    } finally {
      await server.stop();
    }
  });
});
