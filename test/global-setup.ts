// Once per integration run: create a uniquely named template database and migrate it. Test
// files clone it (test/test-database.ts), so runs and files never collide.
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { execSql, withClient } from "../src/server/db/admin-sql";
import { migrate } from "../src/server/db/migrate";
import { testAdminUrl, withDatabase } from "./admin-url";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const admin = testAdminUrl();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const templateDb = `eb_tpl_${runId}`;
  await execSql(admin, `CREATE DATABASE "${templateDb}"`);
  await migrate(withDatabase(admin, templateDb));
  project.provide("templateDb", templateDb);
  project.provide("runId", runId);
  return () =>
    withClient(admin, async (client) => {
      const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`eb_%${runId}%`]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    });
}
