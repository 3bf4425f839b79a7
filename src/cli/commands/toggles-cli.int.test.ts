// The CLI as an attacker used it (issue 13): `--actor alice@example.com` was recorded as alice,
// and REQUIRE_LIVE_APPROVAL on the server did not apply to a shell without the variable. Now the
// actor is the OS user, the claim is kept apart, and the stored policy applies to every caller.
import { spawn } from "node:child_process";
import { userInfo } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/test-database";
import { setPolicy } from "../../server/services/toggles/policy";

const ROOT = path.resolve(import.meta.dirname, "../../..");
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("clitoggles");
});
afterAll(async () => t?.drop());

/** Runs the CLI with only DATABASE_URL (the runtime login), as an operator's shell would. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.url, ...extraEnv };
  for (const k of ["REQUIRE_LIVE_APPROVAL", "REQUIRE_READINESS", "MIGRATION_DATABASE_URL"]) if (!(k in extraEnv)) delete env[k];
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, "bin/exit-brain.mjs"), ...args], { cwd: ROOT, env });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    p.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

describe("exit-brain set / policy", () => {
  it("records the OS user as the actor and a claimed --actor apart; refuses LIVE when the stored policy wants an approval, whatever the shell says", async () => {
    const shadow = await cli(["set", "EXIT_MODE=EXIT_BRAIN_V3", "--reason", "shadow", "--actor", "alice@example.com"]);
    expect(shadow.code, shadow.out).toBe(0);
    const row = await t.db.toggleAudit.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect({ actor: row.actor, claimedActor: row.claimedActor, source: row.source }).toEqual({ actor: `os:${userInfo().username}`, claimedActor: "alice@example.com", source: "cli" });

    await setPolicy(t.ownerDb, { requireLiveApproval: true, reason: "four eyes on this deployment" }, { actor: "os:admin" });
    const live = await cli(["set", "EXIT_EXECUTOR_MODE=LIVE", "EXIT_BRAIN_V3_LIVE_ROLLOUT=ENABLED", "--reason", "go", "--confirm-live"], { REQUIRE_LIVE_APPROVAL: "false" });
    expect(live.code, live.out).toBe(2);
    expect(live.out).toMatch(/REQUIRE_LIVE_APPROVAL is on/);
    expect((await t.db.exitToggles.findFirstOrThrow()).exitExecutorMode).toBe("SHADOW");
  }, 240_000);

  it("policy set needs the owner login: refused in plain words with the runtime one, done and audited with MIGRATION_DATABASE_URL", async () => {
    const refused = await cli(["policy", "set", "--require-readiness", "off", "--reason", "let me"]);
    expect(refused.code, refused.out).toBe(2);
    expect(refused.out).toMatch(/needs the database owner login.*MIGRATION_DATABASE_URL/);
    expect(refused.out).not.toMatch(/\n\s+at /); // no stack trace

    const done = await cli(["policy", "set", "--require-readiness", "on", "--reason", "back to the default", "--actor", "bob"], { MIGRATION_DATABASE_URL: t.ownerUrl });
    expect(done.code, done.out).toBe(0);
    expect(done.out).toMatch(/require readiness .*ON/);
    const audit = await t.db.togglePolicyAudit.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect({ actor: audit.actor, claimedActor: audit.claimedActor, action: audit.action }).toEqual({ actor: `os:${userInfo().username}`, claimedActor: "bob", action: "set" });
  }, 240_000);
});
