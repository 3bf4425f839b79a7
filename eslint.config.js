// @ts-check
import path from "node:path";
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const ROOT = import.meta.dirname;

/**
 * Client components ("use client" files under src/app) must not import server code: src/server/**
 * (database, auth, services) or src/trpc/server (the request's server-side tRPC). The build would
 * bundle it for the browser, or fail on "server-only" (src/server/auth/current-session.ts). Type-only
 * imports are fine: they vanish at compile time. A client component gets server data through
 * useTRPC, prefetched by its page.tsx (src/trpc/server.ts).
 * @type {import("eslint").Rule.RuleModule}
 */
const noServerImportInClient = {
  meta: {
    type: "problem",
    schema: [],
    messages: {
      server:
        "'{{spec}}' is server code and this file is a client component (\"use client\"): fetch through useTRPC (prefetched in the page.tsx with src/trpc/server.ts), or use `import type` for types only.",
    },
  },
  create(context) {
    const body = context.sourceCode.ast.body;
    const directives = [];
    for (const node of body) {
      if (node.type !== "ExpressionStatement" || !("directive" in node) || typeof node.directive !== "string") break;
      directives.push(node.directive);
    }
    if (!directives.includes("use client")) return {};
    const dir = path.dirname(context.filename);
    /** @param {import("estree").Node} node @param {unknown} spec @param {boolean} typeOnly */
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== "string" || typeOnly) return;
      let serverCode = spec === "server-only";
      if (spec.startsWith(".")) {
        const rel = path.relative(ROOT, path.resolve(dir, spec)).split(path.sep).join("/");
        serverCode = /^src\/server(\/|$)/.test(rel) || /^src\/trpc\/server(\.[jt]sx?)?$/.test(rel);
      }
      if (serverCode) context.report({ node, messageId: "server", data: { spec } });
    };
    /** @param {any} node */
    const allTypes = (node) =>
      node.importKind === "type" || node.exportKind === "type" ||
      (node.specifiers?.length > 0 && node.specifiers.every((/** @type {any} */ s) => s.importKind === "type" || s.exportKind === "type"));
    return {
      ImportDeclaration: (node) => check(node, node.source.value, allTypes(node)),
      ExportNamedDeclaration: (node) => (node.source ? check(node, node.source.value, allTypes(node)) : undefined),
      ExportAllDeclaration: (node) => check(node, node.source.value, allTypes(node)),
      ImportExpression: (node) => (node.source.type === "Literal" ? check(node, node.source.value, false) : undefined),
    };
  },
};

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "src/generated/", "test-results/", "e2e-artifacts/", "next-env.d.ts", "playwright-report/"] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // src/core is pure: no I/O, no clock, no framework. (Its tests may read fixture files.)
    files: ["src/core/**/*.ts"],
    ignores: ["src/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["node:*", "pg", "@prisma/*", "next", "next/*", "ccxt", "../server/*", "../app/*", "**/worker/*", "**/generated/*"] },
      ],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Inject a clock: src/core is pure." }],
    },
  },
  {
    // The worker never imports Next.js, the app, or the tRPC client.
    files: ["worker/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["next", "next/*", "**/src/app/*", "@trpc/client", "**/trpc/react*"] }],
    },
  },
  {
    // Test-only helpers live in `testing/` folders (and the top-level test/); production code never
    // imports them. The typescript-eslint twin of no-restricted-imports is used so this rule adds to
    // the layer rules above instead of replacing their options. Tests, test/, bench/, e2e/ and other
    // testing/ modules may import them.
    files: ["**/*.{ts,tsx,js,mjs,cjs}"],
    ignores: [
      "**/*.test.ts", "**/*.test.tsx", "**/*.spec.ts", "test/**", "bench/**", "e2e/**", "**/testing/**",
      // test runners and their configuration
      "scripts/e2e.ts", "playwright.config.ts", "vitest.config.ts",
    ],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // relative imports only: a package such as @playwright/test is not a test folder
              regex: "^\\.{1,2}/(.*/)?(testing|test)(/|$)",
              message: "Test-only module: production code must not import a testing/ or test/ module. Move what you need into the production folder, or this file under testing/.",
            },
          ],
        },
      ],
    },
  },
  {
    // Client components never import server code (noServerImportInClient above).
    files: ["src/app/**/*.{ts,tsx}"],
    plugins: { "client-boundary": { rules: { "no-server-import": noServerImportInClient } } },
    rules: { "client-boundary/no-server-import": "error" },
  },
);
