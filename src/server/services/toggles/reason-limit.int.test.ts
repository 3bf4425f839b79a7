// Real PostgreSQL: the one reason limit (REASON_MAX_CHARS) is enforced by the services for every
// door — a set, a rollback, a LIVE request, and the CLI process — with a message that says what
// was wrong; nothing is written when it is refused, and a reason at the limit is stored whole.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/test-database";
import { REASON_MAX_CHARS } from "../../../core/toggles/reason";
import { AppError } from "../../errors";
import { requestLive } from "./live-requests";
import { rollback } from "./rollbacks";
import { setToggles } from "./set-toggles";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("reasonlimit");
});
afterAll(async () => t?.drop());

const ctx = { actor: "op@test", source: "dashboard" as const, ceilings: {}, requireApproval: false, requireReadiness: false };
const auditRows = async () => Number((await t.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM toggle_audit`)[0]!.n);
const tooLong = "x".repeat(REASON_MAX_CHARS + 1);

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("reason limit", () => {
  it("a set with a reason over the limit is refused with the limit in the message, and nothing is written", async () => {
    const before = await auditRows();
    const err = await refusal(setToggles(t.db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: tooLong }, ctx));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toBe(`The reason is ${REASON_MAX_CHARS + 1} characters long; at most ${REASON_MAX_CHARS} are allowed. Shorten it (the audit trail keeps it whole, never cut).`);
    expect(await auditRows()).toBe(before);
  });

  it("a reason of exactly the limit is stored whole (never cut)", async () => {
    const exact = "y".repeat(REASON_MAX_CHARS);
    const r = await setToggles(t.db, { changes: { EXIT_MODE: "EXIT_BRAIN_V3" }, reason: exact }, ctx);
    expect(r.changed).toBe(true);
    const [row] = await t.db.$queryRaw<{ reason: string }[]>`SELECT reason FROM toggle_audit ORDER BY id DESC LIMIT 1`;
    expect(row!.reason).toBe(exact);
  });

  it("a rollback and a LIVE request refuse it too", async () => {
    const before = await auditRows();
    expect((await refusal(rollback(t.db, "legacy", { ...ctx, reason: tooLong }))).message).toMatch(/at most 500 are allowed/);
    expect(await auditRows()).toBe(before);
    expect((await refusal(requestLive(t.db, { confirmation: "GO LIVE", reason: tooLong }, ctx))).message).toMatch(/at most 500 are allowed/);
    expect(Number((await t.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM live_request`)[0]!.n)).toBe(0);
  });

  it("the CLI exits 2 with the same message for a 100,000-character reason and writes nothing", async () => {
    const before = await auditRows();
    const root = path.resolve(import.meta.dirname, "../../../..");
    const r = spawnSync(process.execPath, [path.join(root, "bin/exit-brain.mjs"), "set", "EXIT_MODE=LEGACY", "--reason", "z".repeat(100_000)], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.url },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("The reason is 100000 characters long; at most 500 are allowed.");
    expect(await auditRows()).toBe(before);
  });
});
