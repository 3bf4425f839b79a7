// Every repository path the user-facing docs name in backticks must exist: a file moved or renamed
// leaves its old path in README.md, BENCHMARKS.md, RELIABILITY.md or docs/*.md otherwise (it
// happened to src/server/auth/address-guard.ts). Only tokens rooted in a source folder count
// (`src/…`, `worker/…`, …): runtime paths (`logs/…`, `data/…`), package names (`next/dynamic`),
// rule names and placeholders (`NNNN_name`, `*.fault.test.ts`, `<file>`) are not checked. A
// module specifier without its extension (`src/trpc/server`) names the .ts/.tsx file; a
// `:line` suffix is ignored.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_ROOTS = ["src", "worker", "sim", "scripts", "test", "bench", "e2e", "docs", "prisma", "market-data", "public"];
const SPECIFIER_ENDINGS = ["", ".ts", ".tsx", ".js", ".mjs", "/index.ts"];

const docs = ["README.md", "BENCHMARKS.md", "RELIABILITY.md", ...readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The repository paths a Markdown text names in backticks, with their line numbers. */
function documentedPaths(text: string): { line: number; path: string }[] {
  const found: { line: number; path: string }[] = [];
  for (const m of text.matchAll(/`([^`\n]+)`/g)) {
    const token = m[1]!.trim().replace(/:\d+(-\d+)?$/, "").replace(/\/$/, "");
    if (/\s/.test(token) || /[*<>{}$…=]|\.\.\.|NNNN/.test(token)) continue;
    if (!SOURCE_ROOTS.includes(token.split("/")[0]!) || !token.includes("/")) continue;
    found.push({ line: text.slice(0, m.index).split("\n").length, path: token });
  }
  return found;
}

const exists = (p: string) => SPECIFIER_ENDINGS.some((e) => existsSync(path.join(ROOT, p + e)));

describe("paths named in the docs", () => {
  it("finds paths and skips what is not one", () => {
    const text = "see `src/core/gateway/modules.ts:12`, `worker/exchange/`\nand `src/trpc/server`; not `logs/exit_brain.log`, `next/dynamic`, `prisma/migrations/NNNN_name/migration.sql`, `test/faults/*.fault.test.ts`, `npm run x`";
    expect(documentedPaths(text)).toEqual([
      { line: 1, path: "src/core/gateway/modules.ts" },
      { line: 1, path: "worker/exchange" },
      { line: 2, path: "src/trpc/server" },
    ]);
    expect(exists("src/trpc/server")).toBe(true);
    expect(exists("src/server/auth/address-guard.ts")).toBe(false);
  });

  it.each(docs)("%s names only paths that exist", (doc) => {
    const missing = documentedPaths(readFileSync(path.join(ROOT, doc), "utf8"))
      .filter((p) => !exists(p.path))
      .map((p) => `${doc}:${p.line}: ${p.path} does not exist (moved or renamed? name where it is now)`);
    expect(missing).toEqual([]);
  });
});
