// Where integration tests create their databases: TEST_DATABASE_URL, else DATABASE_URL
// (any database on the server; tests only create and drop their own `eb_*` databases and
// `eb_owner_*`/`eb_app_*` roles). It must be allowed to create databases and roles.
import { withCredentials } from "../src/server/db/roles";

export function testAdminUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "Integration tests need PostgreSQL: run them through `npm test` (which starts one), or set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres",
    );
  }
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** This run's owner (migrations, setup) and runtime (what production code connects as) roles. */
export interface TestRoles {
  owner: { name: string; password: string };
  runtime: { name: string; password: string };
}

/** Server URLs (database of the admin URL) for the two roles. */
export function testRoles(adminUrl: string, roles: TestRoles): { ownerUrl: string; runtimeUrl: string } {
  return {
    ownerUrl: withCredentials(adminUrl, roles.owner.name, roles.owner.password),
    runtimeUrl: withCredentials(adminUrl, roles.runtime.name, roles.runtime.password),
  };
}
