#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx exit-brain ...` works without a build.
import { register } from "tsx/esm/api";
import { ensurePrismaClient } from "../scripts/prisma-generate.mjs";

if (!ensurePrismaClient()) {
  console.error("exit-brain: generating the database client failed (see above); run `npm ci` again.");
  process.exit(1);
}
register();
await import("../src/cli/exit-brain" + ".ts"); // tsx resolves it at run time
