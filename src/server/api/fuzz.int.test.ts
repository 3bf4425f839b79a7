// A generated bad-input pass over EVERY tRPC procedure of appRouter, called as an admin (the role
// that may do the most). For each procedure the variants are derived from its own zod input
// schema: not an object at all, each required field missing, each field of the wrong type, an
// unknown enum value, a 100 kB string in every string field, unknown extra fields. Every variant
// must be refused with BAD_REQUEST (a query without input may instead answer normally: its output
// is validated by its output schema) and must change nothing in the database.
import { trpcOutcome } from "../../../test/trpc-outcome";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import type { Session } from "../auth/session";
import { addUser } from "../services/users/add-user";
import { bootToggles } from "../services/toggles/boot-toggles";
import { appRouter } from "./root";
import { createContextInner } from "./trpc";

type Schema = z.ZodType;
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  in?: Schema;
  entries?: Record<string, string>;
  catchall?: Schema;
}
interface Procedure {
  _def: { type: "query" | "mutation" | "subscription"; inputs: Schema[] };
}

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional / nullable / default / pipe wrappers (what a value is checked against). */
function core(s: Schema): Schema {
  const d = defOf(s);
  if (["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(d.type) && d.innerType) return core(d.innerType);
  if (d.type === "pipe" && d.in) return core(d.in);
  return s;
}
const isOptional = (s: Schema) => (s as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success;

// A valid input for each procedure that takes one; the fuzz breaks one thing at a time in it.
// A new procedure with an input fails the coverage test below until it gets a base here.
const VALID: Record<string, unknown> = {
  "users.add": { email: "fuzz@example.com", name: "Fuzz", role: "viewer", password: "long-enough-password" },
  "users.setRole": { email: "viewer@example.com", role: "operator" },
  "users.resetPassword": { email: "viewer@example.com", password: "another-long-password" },
  "users.audit": { limit: 10, email: "viewer@example.com" },
  "users.setDisabled": { email: "viewer@example.com", disabled: true },
  "users.revokeSessions": { email: "viewer@example.com" },
  "users.revokeMySessions": {},
  "users.changePassword": { currentPassword: "admin-password", newPassword: "another-long-password" },
  "toggles.set": { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: "fuzz", confirmation: null },
  "toggles.killSwitch": { reason: "fuzz" },
  "toggles.rollback": { target: "legacy", reason: "fuzz" },
  "toggles.requestLive": { confirmation: "GO LIVE", reason: "fuzz" },
  "toggles.approveLive": { id: 1 },
  "toggles.cancelLive": { id: 1 },
  "toggles.workersFollowing": { version: 1 },
  "shadow.distribution": { since: new Date(0), until: new Date(), symbol: "BTCUSDT" },
  "shadow.emergencyExits": { since: new Date(0), until: new Date(), symbol: "BTCUSDT" },
  "shadow.overTime": { since: new Date(0), until: new Date(), symbol: "BTCUSDT" },
  "shadow.comparison": { since: new Date(0), until: new Date(), symbol: "BTCUSDT" },
  "audit.list": { source: "dashboard", kind: "rollback", actor: "x", since: new Date(0), until: new Date(), limit: 10 },
  "orders.list": { outcome: "placed", module: "position_monitor", symbol: "BTCUSDT", cursor: 5, limit: 10 },
  "orders.overTime": { sinceMinutes: 60 },
  "orders.history": { orderId: 1 },
  "orders.resting": { symbol: "BTCUSDT", positionSide: "long" },
  "positions.requestAction": { kind: "close_now", symbol: "BTCUSDT", positionSide: "long", reason: "fuzz", confirmSymbol: "BTCUSDT" },
  "positions.detail": { id: "BTCUSDT-long" },
  "positions.decisions": { positionKey: "BTCUSDT:long:1", before: { at: 1, id: 1 }, limit: 10 },
  "positions.actions": { symbol: "BTCUSDT", limit: 10 },
  "logs.exitLines": { tag: "EXIT_GUARD", symbol: "BTCUSDT", limit: 10 },
  "notifications.setSettings": { webhookUrl: "https://hooks.example.com/services/T/B/x", enabled: true, unprotectedGraceS: 60 },
  "notifications.deliveries": { limit: 10 },
  "notifications.sendTest": {},
};

const WRONG_TYPES: unknown[] = [42, -1, 1.5, "text", "", true, null, [], {}, new Date(Number.NaN), ["a"]];
const OVERSIZED = "A".repeat(100_000);

interface Variant {
  what: string;
  input: unknown;
}

/** Variants of `base` with one thing broken, for every field (recursing into nested objects). */
function fieldVariants(schema: Schema, base: Record<string, unknown>, prefix = ""): Variant[] {
  const d = defOf(core(schema));
  if (d.type !== "object" || !d.shape) return [];
  const out: Variant[] = [];
  for (const [key, field] of Object.entries(d.shape)) {
    const name = `${prefix}${key}`;
    const with_ = (v: unknown) => ({ ...base, [key]: v });
    if (!isOptional(field)) {
      const { [key]: _dropped, ...rest } = base;
      out.push({ what: `${name} missing`, input: rest });
    }
    const fd = defOf(core(field));
    for (const v of WRONG_TYPES) {
      if (!field.safeParse(v).success) out.push({ what: `${name} = ${show(v)}`, input: with_(v) });
    }
    if (fd.type === "enum") out.push({ what: `${name} = unknown enum value`, input: with_("NOT_A_KNOWN_VALUE") });
    if (fd.type === "string") out.push({ what: `${name} = 100 kB string`, input: with_(OVERSIZED) });
    if (fd.type === "object" && base[key] && typeof base[key] === "object") {
      for (const v of fieldVariants(field, base[key] as Record<string, unknown>, `${name}.`)) out.push({ what: v.what, input: with_(v.input) });
    }
  }
  return out;
}

function show(v: unknown): string {
  if (v instanceof Date) return "Invalid Date";
  return JSON.stringify(v);
}

function variantsFor(path: string, proc: Procedure): Variant[] {
  const out: Variant[] = [
    { what: "null", input: null },
    { what: "a number", input: 42 },
    { what: "a string", input: "text" },
    { what: "an array", input: [{}] },
    { what: "a 100 kB string", input: OVERSIZED },
  ];
  const schema = proc._def.inputs[0];
  if (!schema) return out;
  const base = VALID[path] as Record<string, unknown>;
  out.push({ what: "unknown fields only", input: { unexpected: "x", __proto_like: { admin: true } } });
  out.push(...fieldVariants(schema, base));
  // Only variants the schema itself refuses are bad input (e.g. "{}" is fine where every field is optional).
  return out.filter((v) => !schema.safeParse(v.input).success);
}

let t: TestDatabase;
let adminSession: Session;

function procedures(): [string, Procedure][] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);
}

function call(path: string, input: unknown): Promise<unknown> {
  let target: unknown = appRouter.createCaller(createContextInner({ db: t.db, session: adminSession }));
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

const outcome = trpcOutcome;

/** Everything a mutation could change, in one comparable string. */
async function dbState(): Promise<string> {
  const rows = await t.db.$queryRawUnsafe<{ s: string }[]>(`SELECT concat_ws(' | ',
      (SELECT string_agg(concat_ws(',', version, exit_mode, exit_executor_mode, exit_brain_v3_live_rollout), ';') FROM exit_toggles),
      (SELECT count(*) FROM toggle_audit),
      (SELECT md5(coalesce(string_agg(concat_ws(',', email, role, password_hash, disabled, name, session_version), ';' ORDER BY email), '')) FROM app_user),
      (SELECT count(*) FROM user_audit),
      (SELECT md5(coalesce(string_agg(concat_ws(',', id, status, decided_by), ';' ORDER BY id), '')) FROM live_request)) AS s`);
  return rows[0]!.s;
}

beforeAll(async () => {
  t = await createTestDatabase("fuzz");
  await bootToggles(t.db, {});
  for (const role of ["viewer", "operator", "admin"] as const) await addUser(t.db, { email: `${role}@example.com`, role, password: `${role}-password` });
  const a = await t.db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
  adminSession = { user: { id: a.id, email: a.email, name: null, role: "admin" } };
  await t.db.liveRequest.create({ data: { requestedBy: "operator@example.com", reason: "pending one", expiresAt: new Date(Date.now() + 3_600_000) } });
});
const tried = new Map<string, number>();
afterAll(async () => {
  console.log(`[FUZZ] ${tried.size} procedures, ${[...tried.values()].reduce((a, n) => a + n, 0)} bad inputs, all refused with no change`);
  await t?.drop();
});

describe("[BAD_INPUT] generated fuzz over every tRPC procedure", () => {
  it("covers every procedure of every router, and every input has a valid base", () => {
    const all = procedures();
    const routers = new Set(all.map(([p]) => p.split(".")[0]));
    expect([...routers].sort()).toEqual(Object.keys(appRouter._def.record).sort());
    const withInput = all.filter(([, p]) => p._def.inputs.length > 0).map(([path]) => path);
    expect(withInput.filter((p) => !(p in VALID))).toEqual([]);
    for (const [path, proc] of all) {
      const schema = proc._def.inputs[0];
      if (schema) expect(schema.safeParse(VALID[path]).success, `${path}: base input should be valid`).toBe(true);
    }
  });

  it("unknown extra fields never reach a service: every input schema refuses or strips them", () => {
    for (const [path, proc] of procedures()) {
      const schema = proc._def.inputs[0];
      if (!schema) continue;
      const shape = defOf(core(schema)).shape ?? {};
      const extras = Object.fromEntries(["role", "actor", "source", "isAdmin", "version", "__unexpected"].filter((k) => !(k in shape)).map((k) => [k, "mallory"]));
      const parsed = schema.safeParse({ ...(VALID[path] as object), ...extras });
      if (!parsed.success) continue;
      expect(Object.keys(parsed.data as object).filter((k) => k in extras), path).toEqual([]);
    }
  });

  for (const [path, proc] of procedures()) {
    it(`${path} (${proc._def.type}): every bad input is refused with BAD_REQUEST and changes nothing`, async () => {
      const variants = variantsFor(path, proc);
      expect(variants.length).toBeGreaterThan(0);
      const before = await dbState();
      const wrong: string[] = [];
      for (const v of variants) {
        const code = await outcome(call(path, v.input));
        const acceptable = code === "BAD_REQUEST" || (code === "OK" && proc._def.type === "query" && proc._def.inputs.length === 0);
        if (!acceptable) wrong.push(`${v.what} -> ${code}`);
      }
      expect(wrong).toEqual([]);
      expect(await dbState()).toBe(before);
      tried.set(path, variants.length);
    });
  }
});
