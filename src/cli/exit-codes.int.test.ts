// The CLI's documented exit codes (0 done, 2 refused or bad input, 3 database unreachable) and
// its behaviour in a pipeline, from a real process.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/test-database";

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

  it("`audit | head -1` ends quietly when the reader closes the pipe", () => {
    for (let i = 0; i < 4; i++) {
      const target = i % 2 === 0 ? "EXIT_EXECUTOR_MODE=SHADOW EXIT_MODE=EXIT_BRAIN_V3" : "EXIT_MODE=LEGACY";
      expect(cli(["set", ...target.split(" "), "--reason", `pipe test ${i} ${"long text ".repeat(20)}`]).code).toBe(0);
    }
    const r = spawnSync("bash", ["-o", "pipefail", "-c", `"${process.execPath}" "${BIN}" audit --limit 200 | head -c 1`], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url },
      encoding: "utf8",
    });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.status).toBe(0);
  });
});
