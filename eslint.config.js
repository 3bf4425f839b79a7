// @ts-check
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

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
);
