// A small reader for prisma/schema.prisma: models, their scalar fields, table and column names,
// and what PostgreSQL column types are compatible. Used by the drift test, because Prisma's own
// schema engine (which would diff schema and database) cannot run here.

export interface SchemaField {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  nativeType: string | null;
}

export interface SchemaModel {
  name: string;
  table: string;
  fields: SchemaField[];
}

export interface ParsedSchema {
  models: SchemaModel[];
  enums: Map<string, string>; // enum name -> database type name
}

const SCALARS = new Set(["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]);

export function parsePrismaSchema(source: string): ParsedSchema {
  const text = source.replace(/\/\/.*$/gm, "");
  const enums = new Map<string, string>();
  for (const m of text.matchAll(/\benum\s+(\w+)\s*\{([\s\S]*?)\n?\s*\}/g)) {
    const [, name = "", body = ""] = m;
    enums.set(name, /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name);
  }
  const models: SchemaModel[] = [];
  for (const m of text.matchAll(/\bmodel\s+(\w+)\s*\{([\s\S]*?)\n\s*\}/g)) {
    const [, name = "", body = ""] = m;
    const fields: SchemaField[] = [];
    for (const raw of body.split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("@@")) continue;
      const fm = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!fm) continue;
      const [, fieldName = "", type = "", list, optional, attrs = ""] = fm;
      if (!SCALARS.has(type) && !enums.has(type)) continue; // relation field: no column
      fields.push({
        name: fieldName,
        column: /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? fieldName,
        type,
        optional: Boolean(optional),
        list: Boolean(list),
        nativeType: /@db\.(\w+)/.exec(attrs)?.[1] ?? null,
      });
    }
    models.push({ name, table: /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name, fields });
  }
  return { models, enums };
}

/** information_schema data_type values that can hold a Prisma scalar. */
export function compatibleColumnTypes(field: SchemaField, enums: Map<string, string>): string[] {
  if (field.list) return ["ARRAY"];
  if (enums.has(field.type)) return ["USER-DEFINED"];
  switch (field.type) {
    case "String":
      return field.nativeType === "Uuid" ? ["uuid"] : ["text", "character varying", "character", "uuid"];
    case "Int":
      return ["integer", "smallint"];
    case "BigInt":
      return ["bigint"];
    case "Float":
      return ["double precision", "real"];
    case "Decimal":
      return ["numeric"];
    case "Boolean":
      return ["boolean"];
    case "DateTime":
      return field.nativeType === "Timestamp" ? ["timestamp without time zone"] : ["timestamp with time zone", "timestamp without time zone", "date"];
    case "Json":
      return ["jsonb", "json"];
    case "Bytes":
      return ["bytea"];
    default:
      return [];
  }
}
