// The CLI's documented exit codes (0 done, 2 refused or bad input, 3 database unreachable) and
// its behaviour in a pipeline, from a real process.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";
import { changeToggles } from "../server/services/toggles/change-toggles";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin/exit-brain.mjs");
let t: TestDatabase;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url }, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  t = await createTestDatabase("cliexit");
});
afterAll(async () => t?.drop());

describe("exit-brain exit codes", () => {
  it("bad input is 2: an unknown rollback target, a missing required option, an unknown command", () => {
    const sideways = cli(["rollback", "sideways", "--reason", "x"]);
    expect(sideways.code).toBe(2);
    expect(sideways.err).toMatch(/shadow, legacy/);
    expect(cli(["backtest"]).code).toBe(2);
    expect(cli(["no-such-command"]).code).toBe(2);
  });

  it("--help is 0", () => {
    expect(cli(["--help"]).code).toBe(0);
  });

  it("`audit | head -1` ends quietly when the reader closes the pipe", async () => {
    // A few short lines fit the pipe's buffer (64 KiB on Linux) whole and are written before head
    // exits: no write ever fails. With several buffers' worth, head exits after its first line
    // while the CLI is still writing, and the next write fails with EPIPE. Without the handler in
    // exit-brain.ts that kills the CLI ("Error: write EPIPE", exit 1): tsx's loader thread pipes
    // its output into process.stdout, so stdout already has an 'error' listener and console.log
    // no longer swallows the error as it does in a plain Node script.
    const ROWS = 300;
    for (let i = 0; i < ROWS; i++) {
      const changes = i % 2 === 0 ? ({ EXIT_MODE: "EXIT_BRAIN_V3" } as const) : ({ EXIT_MODE: "LEGACY" } as const);
      await changeToggles(t.db, { changes, actor: "op@test", source: "cli", reason: `pipe test ${i} ${"long text ".repeat(45)}`, ceilings: {} });
    }
    const full = cli(["audit", "--limit", String(ROWS)]);
    expect(full.code).toBe(0);
    expect(full.out.length).toBeGreaterThan(2 * 64 * 1024);
    const pipe = (reader: string) =>
      spawnSync("bash", ["-o", "pipefail", "-c", `"${process.execPath}" "${BIN}" audit --limit ${ROWS} | ${reader}`], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: t.url },
        encoding: "utf8",
      });
    // head -1: the reader leaves while the CLI is writing
    const head = pipe("head -1");
    expect(head.stderr).not.toMatch(/EPIPE|Error/);
    expect(head.status).toBe(0);
    expect(head.stdout).toBe(`${full.out.split("\n")[0]}\n`);
    // true: the reader is gone before the first write
    const gone = pipe("true");
    expect(gone.stderr).not.toMatch(/EPIPE|Error/);
    expect(gone.status).toBe(0);
  });
});
