// Once per integration run: create this run's two database roles (owner and runtime, named
// after the run so concurrent runs on a shared server never touch each other's roles), a
// uniquely named template database owned by the owner, and migrate it as the owner. Test files
// clone it (test/test-database.ts), so runs and files never collide. Teardown drops this run's
// databases, then its roles.
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { execSql, withClient } from "../src/server/db/admin-sql";
import { migrate } from "../src/server/db/migrate";
import { ensureRoles, ident } from "../src/server/db/roles";
import { testAdminUrl, testRoles, withDatabase, type TestRoles } from "./admin-url";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    runId: string;
    roles: TestRoles;
  }
}

export default async function setup(project: TestProject) {
  const admin = testAdminUrl();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const roles: TestRoles = {
    owner: { name: `eb_owner_${runId}`, password: randomBytes(18).toString("base64url") },
    runtime: { name: `eb_app_${runId}`, password: randomBytes(18).toString("base64url") },
  };
  const templateDb = `eb_tpl_${runId}`;
  await withClient(admin, (c) => ensureRoles(c, roles.owner, roles.runtime));
  await execSql(admin, `CREATE DATABASE "${templateDb}" OWNER ${ident(roles.owner.name)}`);
  const urls = testRoles(admin, roles);
  await migrate(withDatabase(urls.ownerUrl, templateDb), { runtimeRole: roles.runtime.name });
  // Integration tests arrange LIVE directly (gateway, executor, watcher, watchdog, faults); the
  // readiness gate is the subject of its own tests, which turn it back on. Done through the
  // policy door, so the template's policy audit says so.
  await withClient(withDatabase(urls.ownerUrl, templateDb), (c) =>
    c.query(`SELECT 1 FROM toggle_policy_set(NULL, false, NULL, 'test-harness', NULL, 'integration tests arrange LIVE directly; readiness tests turn this back on')`),
  );
  project.provide("templateDb", templateDb);
  project.provide("runId", runId);
  project.provide("roles", roles);
  return () =>
    withClient(admin, async (client) => {
      const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`eb_%${runId}%`]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      for (const role of [roles.runtime.name, roles.owner.name]) {
        // Best effort: a database a test created under another name would still hold objects.
        await client.query(`DROP ROLE IF EXISTS ${ident(role)}`).catch((err: unknown) => console.warn(`[test] could not drop role ${role}: ${(err as Error).message}`));
      }
    });
}
