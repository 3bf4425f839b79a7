import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { migrate, MigrationError } from "./migrate";

let t: TestDatabase;
let dir: string;

async function addMigration(name: string, sql: string) {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, "migration.sql"), sql);
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: t.ownerUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  t = await createTestDatabase("mig", { empty: true });
  dir = await mkdtemp(path.join(tmpdir(), "eb-migrations-"));
});
afterAll(async () => t?.drop());

describe("db:migrate", () => {
  it("applies pending migrations once, in order, recording checksums", async () => {
    await addMigration("0001_a", `CREATE TABLE "mt_a" (id int primary key);`);
    await addMigration("0002_b", `ALTER TABLE "mt_a" ADD COLUMN note text;`);
    expect(await migrate(t.ownerUrl, { dir })).toEqual({ applied: ["0001_a", "0002_b"], alreadyApplied: 0 });
    expect(await migrate(t.ownerUrl, { dir })).toEqual({ applied: [], alreadyApplied: 2 });
    const rows = await query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM "_migrations" WHERE name LIKE '000%\\_%' AND name IN ('0001_a','0002_b') ORDER BY name`,
    );
    expect(rows.map((r) => r.name)).toEqual(["0001_a", "0002_b"]);
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rolls back a failing migration completely and reports which one", async () => {
    await addMigration("0003_bad", `CREATE TABLE "mt_c" (id int); SELECT * FROM no_such_table;`);
    await expect(migrate(t.ownerUrl, { dir })).rejects.toThrow(/0003_bad failed and was rolled back/);
    const tables = await query<{ n: string }>(`SELECT to_regclass('mt_c')::text AS n`);
    expect(tables[0]!.n).toBeNull();
    await writeFile(path.join(dir, "0003_bad", "migration.sql"), `CREATE TABLE "mt_c" (id int);`);
    expect((await migrate(t.ownerUrl, { dir })).applied).toEqual(["0003_bad"]);
  });

  it("refuses to run when an applied migration was edited", async () => {
    await writeFile(path.join(dir, "0001_a", "migration.sql"), `CREATE TABLE "mt_a" (id bigint primary key);`);
    const err = await migrate(t.ownerUrl, { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/0001_a was edited after it was applied/);
  });

  it("refuses the runtime login, naming the login migrations need", async () => {
    const err = await migrate(t.url, { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/This login may not run migrations .*MIGRATION_DATABASE_URL/);
  });

  it("serialises concurrent runs with an advisory lock", async () => {
    await writeFile(path.join(dir, "0001_a", "migration.sql"), `CREATE TABLE "mt_a" (id int primary key);`);
    await addMigration("0004_slow", `SELECT pg_sleep(0.3); CREATE TABLE "mt_d" (id int);`);
    const [a, b] = await Promise.all([migrate(t.ownerUrl, { dir }), migrate(t.ownerUrl, { dir })]);
    expect([...a.applied, ...b.applied]).toEqual(["0004_slow"]);
  });

  it("says a long migration is still being applied, naming it", async () => {
    await addMigration("0006_slow", `CREATE TABLE "mt_slow" AS SELECT 1 AS x FROM pg_sleep(0.6);`);
    const lines: string[] = [];
    expect(await migrate(t.ownerUrl, { dir, log: (l) => lines.push(l), progressEveryMs: 100 })).toMatchObject({ applied: ["0006_slow"] });
    expect(lines[0]).toBe("applying migration 0006_slow");
    expect(lines.some((l) => /^still applying migration 0006_slow \(\d+ s so far; its tables stay locked until it commits\)$/.test(l))).toBe(true);
  });
});
