// The lint rule that keeps server code out of client components (eslint.config.js,
// client-boundary/no-server-import), run through ESLint with the project's own configuration.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleHits(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "client-boundary/no-server-import").map((m) => `${m.line}`);
}

describe("client components may not import server code", () => {
  it("refuses src/server, src/trpc/server and server-only in a \"use client\" file under src/app", async () => {
    const code = [
      '"use client";',
      'import { db } from "../../server/db/client";',
      'import { prefetch } from "../../trpc/server";',
      'import "server-only";',
      'export { currentSession } from "../../server/auth/current-session";',
      "export const x = [db, prefetch];",
    ].join("\n");
    expect(await ruleHits(code, "src/app/_components/probe.tsx")).toEqual(["2", "3", "4", "5"]);
  }, 60_000);

  it("allows type-only imports, the client tRPC hook and src/core", async () => {
    const code = [
      '"use client";',
      'import type { Session } from "../../server/auth/session";',
      'import { type SessionUser } from "../../server/auth/session";',
      'import { useTRPC } from "../../trpc/react";',
      'import { fmtNum } from "./format";',
      "export type S = Session | SessionUser;",
      "export const x = [useTRPC, fmtNum];",
    ].join("\n");
    expect(await ruleHits(code, "src/app/_components/probe.tsx")).toEqual([]);
  }, 60_000);

  it("leaves server components (no directive) free to import server code", async () => {
    const code = ['import { currentSession } from "../server/auth/current-session";', "export const x = currentSession;"].join("\n");
    expect(await ruleHits(code, "src/app/probe.tsx")).toEqual([]);
  }, 60_000);
});
