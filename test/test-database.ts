// A fresh, migrated database for one integration test file (cloned from the run's template).
// `url`/`db` connect as the RUNTIME role, exactly what web, worker and CLI use in production, so
// a test fails if production code needs a privilege that role does not have. `ownerUrl`/`ownerDb`
// connect as the owner (the role that ran the migrations) for arranging what the runtime role
// may not do: rewinding state, installing a failing trigger, reading the policy audit.
import { inject } from "vitest";
import { withClient } from "../src/server/db/admin-sql";
import { createDb, type Db } from "../src/server/db/client";
import { ident } from "../src/server/db/roles";
import { testAdminUrl, testRoles, withDatabase } from "./admin-url";

export interface TestDatabase {
  name: string;
  /** runtime role */
  url: string;
  /** runtime role */
  db: Db;
  /** owner role (owns every table; not a superuser) */
  ownerUrl: string;
  /** owner role, created on first use */
  readonly ownerDb: Db;
  runtimeRole: string;
  ownerRole: string;
  drop(): Promise<void>;
}

let counter = 0;

/** `empty: true` gives a database with no migrations applied (for migrator tests). */
export async function createTestDatabase(label = "t", opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const admin = testAdminUrl();
  const template = inject("templateDb");
  const runId = inject("runId");
  const roles = inject("roles");
  const name = `eb_${label}_${runId}_${process.pid}_${++counter}`;
  await withClient(admin, async (c) => {
    // Cloning is refused while another session touches the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${opts.empty ? "template0" : template}" OWNER ${ident(roles.owner.name)}`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  if (opts.empty) {
    // template0's public schema belongs to pg_database_owner on PostgreSQL 15+, to the bootstrap
    // superuser before: make it the owner's either way, as db:setup-roles does.
    await withClient(withDatabase(admin, name), (c) => c.query(`ALTER SCHEMA public OWNER TO ${ident(roles.owner.name)}; REVOKE CREATE ON SCHEMA public FROM PUBLIC`));
  }
  const { ownerUrl, runtimeUrl } = testRoles(admin, roles);
  const url = withDatabase(runtimeUrl, name);
  const ownerDbUrl = withDatabase(ownerUrl, name);
  const db = createDb(url, { max: 5 });
  let ownerDb: Db | undefined;
  return {
    name,
    url,
    db,
    ownerUrl: ownerDbUrl,
    get ownerDb() {
      ownerDb ??= createDb(ownerDbUrl, { max: 2 });
      return ownerDb;
    },
    runtimeRole: roles.runtime.name,
    ownerRole: roles.owner.name,
    async drop() {
      await db.$disconnect();
      await ownerDb?.$disconnect();
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
