import { describe, expect, it } from "vitest";
import { compatibleColumnTypes, parsePrismaSchema } from "./prisma-schema";

const SAMPLE = `
enum Side { long short @@map("position_side") }
model Order {
  id      BigInt   @id @default(autoincrement())
  side    Side
  note    String?  @map("free_note") // comment
  tags    String[]
  owner   User     @relation(fields: [ownerId], references: [id])
  ownerId String   @map("owner_id") @db.Uuid
  at      DateTime @db.Timestamptz(3)
  meta    Json     @default("{}")
  @@map("orders")
}`;

describe("parsePrismaSchema", () => {
  const s = parsePrismaSchema(SAMPLE);
  const order = s.models[0]!;

  it("reads table and column names from @@map and @map", () => {
    expect(order.table).toBe("orders");
    expect(order.fields.find((f) => f.name === "note")?.column).toBe("free_note");
  });

  it("skips relation fields, keeps optional, list, enum and native types", () => {
    expect(order.fields.map((f) => f.name)).toEqual(["id", "side", "note", "tags", "ownerId", "at", "meta"]);
    expect(order.fields.find((f) => f.name === "note")?.optional).toBe(true);
    expect(order.fields.find((f) => f.name === "tags")?.list).toBe(true);
    expect(s.enums.get("Side")).toBe("position_side");
  });

  it("maps types to compatible PostgreSQL columns", () => {
    const f = (n: string) => order.fields.find((x) => x.name === n)!;
    expect(compatibleColumnTypes(f("ownerId"), s.enums)).toEqual(["uuid"]);
    expect(compatibleColumnTypes(f("id"), s.enums)).toEqual(["bigint"]);
    expect(compatibleColumnTypes(f("side"), s.enums)).toEqual(["USER-DEFINED"]);
    expect(compatibleColumnTypes(f("tags"), s.enums)).toEqual(["ARRAY"]);
  });
});
