#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx exit-brain ...` works without a build.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/exit-brain" + ".ts"); // tsx resolves it at run time
