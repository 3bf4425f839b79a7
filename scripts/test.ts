// `npm test`: type check, lint, unit tests, integration tests against a real PostgreSQL, the
// fault-injection suite (real worker processes), then Playwright in Debian's Chromium. Stops at the first failing step.
// PostgreSQL: TEST_DATABASE_URL or DATABASE_URL if set, else an embedded server for this run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "../src/server/db/embedded-postgres";
import { ensurePrismaClient } from "./prisma-generate.mjs";

const HELP = `Usage: npm test [-- --only typecheck,lint,unit,integration,faults,e2e]

Runs, in order: typecheck, lint, unit, integration (real PostgreSQL), faults (fault injection with
real worker processes, test/faults; a few minutes), e2e (Chromium at
CHROMIUM_PATH, default /usr/bin/chromium). PostgreSQL comes from TEST_DATABASE_URL or
DATABASE_URL; with neither, an embedded server is started for the run under .data/test-pg.`;

const argv = process.argv.slice(2);
if (argv.includes("--help")) {
  console.log(HELP);
  process.exit(0);
}
const onlyIdx = argv.indexOf("--only");
const only = onlyIdx >= 0 ? new Set((argv[onlyIdx + 1] ?? "").split(",")) : null;
const want = (step: string) => !only || only.has(step);

const bin = (name: string) => path.join("node_modules", ".bin", name);
const results: { step: string; ok: boolean; seconds: number }[] = [];
let embedded: EmbeddedServer | undefined;

class StepFailed extends Error {}

function run(step: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  if (!want(step)) return;
  console.log(`\n[test] ── ${step}: ${cmd} ${args.join(" ")}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  const ok = r.status === 0;
  results.push({ step, ok, seconds: (Date.now() - t0) / 1000 });
  if (!ok) throw new StepFailed(step);
}

async function finish(code: number): Promise<never> {
  console.log("\n[test] summary");
  for (const r of results) console.log(`[test]   ${r.ok ? "ok  " : "FAIL"} ${r.step} (${r.seconds.toFixed(1)} s)`);
  const passed = results.filter((r) => r.ok).length;
  console.log(`[test] steps: ${passed} passed, ${results.length - passed} failed`);
  await embedded?.stop();
  process.exit(code);
}

async function adminUrl(): Promise<string> {
  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given) return given;
  const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339);
  console.log(`[test] no TEST_DATABASE_URL/DATABASE_URL: starting embedded PostgreSQL on port ${port}`);
  embedded = await startEmbeddedPostgres({ dataDir: path.join(".data", "test-pg"), port, database: "postgres", roles: false });
  return embedded.superuserUrl;
}

try {
  if (!ensurePrismaClient()) throw new Error("generating the Prisma client failed (see above); run `npm ci` again");
  run("typecheck", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
  run("lint", bin("eslint"), ["--max-warnings", "0", "."]);
  run("unit", bin("vitest"), ["run", "--project", "unit"]);
  if (want("integration") || want("faults") || want("e2e")) {
    const url = await adminUrl();
    const env = { ...process.env, TEST_DATABASE_URL: url };
    run("integration", bin("vitest"), ["run", "--project", "integration"], env);
    run("faults", bin("vitest"), ["run", "--project", "faults"], env);
    if (want("e2e")) {
      const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
      if (!existsSync(chromium)) {
        console.error(
          `[test] Chromium not found at ${chromium}. Install Debian's: sudo apt-get install -y chromium (or set CHROMIUM_PATH). Browser downloads are not used.`,
        );
        results.push({ step: "e2e", ok: false, seconds: 0 });
        throw new StepFailed("e2e");
      }
      run("e2e", "node", ["--import", "tsx", "scripts/e2e.ts"], { ...env, CHROMIUM_PATH: chromium });
    }
  }
} catch (err) {
  if (!(err instanceof StepFailed)) console.error(`[test] ${(err as Error).message}`);
  await finish(1);
}
await finish(0);
