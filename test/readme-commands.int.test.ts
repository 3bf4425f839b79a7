// The README's commands work as written. Every command it shows (shell blocks, and inline
// `npm …` / `npx …` / `node …` / `curl …` spans) is either run here against a scratch database
// or listed below with the reason it is not; a command the test does not know fails it, so a new
// README command cannot go untested by accident.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database";

const root = path.resolve(import.meta.dirname, "..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");

/** Commands from ```bash blocks (comments and prompts stripped) and inline code spans. */
function readmeCommands(text: string): string[] {
  const found = new Set<string>();
  for (const block of text.matchAll(/```(?:bash|sh|shell)\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split("\n")) {
      const line = raw.replace(/\s+#\s.*$/, "").trim();
      if (line && !line.startsWith("#")) found.add(line);
    }
  }
  const withoutBlocks = text.replace(/```[\s\S]*?```/g, "");
  for (const span of withoutBlocks.matchAll(/`((?:npm|npx|node|curl) [^`]+)`/g)) found.add(span[1]!.trim());
  return [...found];
}

/** Expands the README's shorthand: `a|b` alternatives and `…` placeholders. */
function expand(command: string): string[] {
  const withReason = command.replace(/--reason …/g, '--reason "README command check"');
  const alt = /(\S+)\|(\S+)/.exec(withReason.replace(/"[^"]*"/g, (q) => q.replaceAll("|", "\u0000")));
  if (!alt) return [withReason];
  return [withReason.replace(`${alt[1]}|${alt[2]}`, alt[1]!), withReason.replace(`${alt[1]}|${alt[2]}`, alt[2]!)];
}

type Plan = { run: string[]; expectExit: number[] } | { skip: string };

// How each README command is checked. Keys are regular expressions over the command as written.
const plans: [RegExp, Plan][] = [
  [/^npm ci && npm start$/, { run: ["npm start -- --help"], expectExit: [0] }],
  [/^npm start$/, { run: ["npm start -- --help"], expectExit: [0] }],
  [/^npm ci && npm test$|^npm test$|^npm test -- --only /, { skip: "the suite itself (CI runs it from .ci/run); this test is part of it" }],
  [/^npm ci$/, { skip: "CI's first step on every run" }],
  [/^npm run bench$/, { skip: "benchmarks take many minutes; run by hand, figures in BENCHMARKS.md" }],
  [/^node --import tsx bench\//, { skip: "a benchmark or evaluation taking minutes; run by hand" }],
  [/^curl localhost:3000\//, { skip: "needs the running web app; the browser tests (e2e) start it and read /health and /api/metrics" }],
  [/^npm run db:migrate$/, { run: ["npm run db:migrate"], expectExit: [0] }],
  [/^npm run db:setup-roles -- --help$/, { run: [], expectExit: [0] }],
  [/^(npx exit-brain|npm run exit-brain --) …$/, { skip: "the CLI named in prose; each of its commands shown in the README is run here" }],
  [/^npx exit-brain set .*EXIT_EXECUTOR_MODE=LIVE/, { run: [], expectExit: [0, 2] }], // refused (2) until readiness/approval allow it
  [/^npx exit-brain /, { run: [], expectExit: [0] }],
];

function planFor(command: string): Plan | undefined {
  const hit = plans.find(([re]) => re.test(command));
  if (!hit) return undefined;
  const plan = hit[1];
  if ("run" in plan && plan.run.length === 0) return { run: expand(command), expectExit: plan.expectExit };
  return plan;
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("readme");
}, 60_000);
afterAll(async () => {
  await t?.drop();
});

function sh(command: string): { status: number | null; out: string } {
  const r = spawnSync("bash", ["-c", command], {
    cwd: root,
    // The two logins as `npm run db:setup-roles` prints them: runtime (DATABASE_URL) and owner.
    env: { ...process.env, DATABASE_URL: t.url, MIGRATION_DATABASE_URL: t.ownerUrl, NO_COLOR: "1", LOG_FILE: path.join(root, ".data", "readme-test.log") },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("README commands", () => {
  const commands = readmeCommands(readme);

  it("finds the commands (the extraction itself works)", () => {
    expect(commands).toContain("npx exit-brain status");
    expect(commands.some((c) => c.startsWith("npm ci && npm start"))).toBe(true);
  });

  it("knows every command the README shows (add a plan above for a new one)", () => {
    expect(commands.filter((c) => !planFor(c))).toEqual([]);
  });

  // Order matters as in the README: status, then the steps, then rollbacks and the audit.
  for (const command of commands) {
    const plan = planFor(command);
    if (!plan || "skip" in plan) continue;
    it(`runs: ${command}`, () => {
      for (const line of plan.run) {
        const { status, out } = sh(line);
        expect(plan.expectExit, `${line} exited ${status}:\n${out}`).toContain(status);
        // An operator never sees a stack trace.
        expect(out).not.toMatch(/\n\s+at [^\n]+:\d+:\d+\)?\n/);
      }
    }, 240_000);
  }
});
