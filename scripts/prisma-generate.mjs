// Generates the Prisma client (src/generated/prisma) offline. Run by npm's `dependencies`
// lifecycle script after every install (not `postinstall`: npx refuses a local package with an
// install script under strict-allow-scripts), and by every entry point (`npm start`, `npm test`,
// the CLI) through ensurePrismaClient(), which regenerates only when prisma/schema.prisma changed.
// Prisma's CLI wants a schema-engine binary it would otherwise download; generation does not use
// it, so any existing file satisfies the check.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schema = path.join(root, "prisma", "schema.prisma");
const stamp = path.join(root, "src", "generated", "prisma", ".schema-sha256");

function schemaHash() {
  const prismaPkg = path.join(root, "node_modules", "prisma", "package.json");
  const version = existsSync(prismaPkg) ? JSON.parse(readFileSync(prismaPkg, "utf8")).version : "none";
  return createHash("sha256").update(readFileSync(schema)).update(version).digest("hex");
}

/** Generates the client unless the one on disk was generated from this exact schema. Returns false on failure. */
export function ensurePrismaClient({ force = false } = {}) {
  if (!existsSync(schema)) return true;
  const hash = schemaHash();
  if (!force && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return true;
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), "generate"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    cwd: root,
  });
  if (r.status !== 0) return false;
  writeFileSync(stamp, hash);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(ensurePrismaClient({ force: process.argv.includes("--force") }) ? 0 : 1);
}
