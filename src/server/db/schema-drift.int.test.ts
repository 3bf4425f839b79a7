// Fails when schema.prisma (the source of truth) and the database built by the hand-written
// migrations disagree: a missing table or column, an incompatible type, or other nullability.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { compatibleColumnTypes, parsePrismaSchema } from "./testing/prisma-schema";

const schema = parsePrismaSchema(
  readFileSync(path.resolve(import.meta.dirname, "../../../prisma/schema.prisma"), "utf8"),
);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("drift");
});
afterAll(async () => t?.drop());

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
}

describe("schema.prisma vs migrated database", () => {
  it("has at least one model to check", () => {
    expect(schema.models.length).toBeGreaterThan(0);
  });

  it("every model field has a column of a compatible type and nullability", async () => {
    // As the owner: information_schema only lists columns the current role has a privilege on,
    // and the runtime role has none on some tables (auth_secret, _migrations).
    const columns = await t.ownerDb.$queryRawUnsafe<Column[]>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const byKey = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c]));
    const tables = new Set(columns.map((c) => c.table_name));
    const problems: string[] = [];
    for (const model of schema.models) {
      if (!tables.has(model.table)) {
        problems.push(`model ${model.name}: table "${model.table}" does not exist`);
        continue;
      }
      for (const field of model.fields) {
        const col = byKey.get(`${model.table}.${field.column}`);
        const where = `${model.name}.${field.name} ("${model.table}"."${field.column}")`;
        if (!col) {
          problems.push(`${where}: column missing`);
          continue;
        }
        const allowed = compatibleColumnTypes(field, schema.enums);
        if (!allowed.includes(col.data_type)) {
          problems.push(`${where}: ${field.type} cannot live in a ${col.data_type} column (want ${allowed.join(" | ")})`);
        }
        if (col.data_type === "USER-DEFINED" && col.udt_name !== schema.enums.get(field.type)) {
          problems.push(`${where}: enum type is ${col.udt_name}, want ${schema.enums.get(field.type)}`);
        }
        if ((col.is_nullable === "YES") !== field.optional) {
          problems.push(`${where}: ${field.optional ? "optional in schema but NOT NULL" : "required in schema but nullable"} in the database`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
