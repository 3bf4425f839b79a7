// A fresh, migrated database for one integration test file (cloned from the run's template).
import { inject } from "vitest";
import { withClient } from "../src/server/db/admin-sql";
import { createDb, type Db } from "../src/server/db/client";
import { testAdminUrl, withDatabase } from "./admin-url";

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

let counter = 0;

/** `empty: true` gives a database with no migrations applied (for migrator tests). */
export async function createTestDatabase(label = "t", opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const admin = testAdminUrl();
  const template = inject("templateDb");
  const runId = inject("runId");
  const name = `eb_${label}_${runId}_${process.pid}_${++counter}`;
  await withClient(admin, async (c) => {
    // Cloning is refused while another session touches the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${opts.empty ? "template0" : template}"`);
        return;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  const url = withDatabase(admin, name);
  const db = createDb(url, { max: 5 });
  return {
    name,
    url,
    db,
    async drop() {
      await db.$disconnect();
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
