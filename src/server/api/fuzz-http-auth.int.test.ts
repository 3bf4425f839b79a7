// HTTP-level refusal of every mutation without a session: a POST /api/trpc/<mutation> with no
// cookie is answered 401 both by the front door (src/proxy.ts, which runs before every route) and
// by the tRPC route handler itself (in case the proxy is bypassed), and nothing changes in the
// database. users.int.test.ts covers the same refusal through the router (no session, viewer).
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { bootToggles } from "../services/toggles/boot-toggles";
import { appRouter } from "./root";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("httpauth");
  await bootToggles(t.db, {});
  process.env.DATABASE_URL = t.url; // the route handler and the proxy use the process-wide client
});
afterAll(async () => t?.drop());

function mutationPaths(): string[] {
  const procs = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  return Object.entries(procs).filter(([, p]) => p._def.type === "mutation").map(([path]) => path);
}

const body = JSON.stringify({ json: { reason: "no session", target: "legacy", changes: { EXIT_MODE: "LEGACY" } } });

async function state(): Promise<string> {
  const [row] = await t.db.$queryRawUnsafe<{ s: string }[]>(
    `SELECT concat_ws('|', (SELECT version FROM exit_toggles), (SELECT count(*) FROM toggle_audit), (SELECT count(*) FROM app_user), (SELECT count(*) FROM live_request)) AS s`,
  );
  return row!.s;
}

describe("[SECURITY] POST /api/trpc/<mutation> without a cookie", () => {
  it("the proxy answers 401 for every mutation", async () => {
    const { proxy } = await import("../../proxy");
    const paths = mutationPaths();
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) {
      const res = await proxy(new NextRequest(`http://localhost/api/trpc/${path}`, { method: "POST", body, headers: { "content-type": "application/json" } }));
      expect(`${path}: ${res.status}`).toBe(`${path}: 401`);
    }
  });

  it("the tRPC route handler itself answers 401 for every mutation, and nothing changes", async () => {
    const { POST } = await import("../../app/api/trpc/[trpc]/route");
    const before = await state();
    for (const path of mutationPaths()) {
      const res = await POST(new Request(`http://localhost/api/trpc/${path}`, { method: "POST", body, headers: { "content-type": "application/json" } }));
      expect(`${path}: ${res.status}`).toBe(`${path}: 401`);
      expect(await res.text()).toMatch(/UNAUTHORIZED/);
    }
    expect(await state()).toBe(before);
  });
});
