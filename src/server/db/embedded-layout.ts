// Decides where the embedded PostgreSQL's binaries and data live, and which OS user runs it.
//
// PostgreSQL refuses to run as root. As a normal user everything stays where it is: the binaries
// in node_modules, the data under DATA_DIR. As root (common in containers) the server runs as the
// unprivileged `postgres` user, which must be able to traverse every folder above its binaries
// and its data. A clone in /root, or in any owner-only folder, fails that: then the binaries are
// copied, and the data placed, under /var/lib/exit-brain (a root-owned folder postgres can
// traverse), and the log says where.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, cp, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { EmbeddedPostgresError } from "./embedded-postgres-error";
import type { PostgresBinaries } from "./postgres-binaries";

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
}

export interface EmbeddedLayout {
  binDir: string;
  /** The cluster's data directory (PGDATA). */
  databaseDir: string;
  /** Set when running as root: the user the server runs as. */
  runAs?: OsUser;
  /** Human-readable notes on any relocation, for the start-up log. */
  notes: string[];
}

const SERVICE_USER = "postgres";

export async function planEmbeddedLayout(bins: PostgresBinaries, dataDir: string): Promise<EmbeddedLayout> {
  const wanted = path.resolve(dataDir, "pg");
  if (userInfo().uid !== 0) {
    await mkdir(path.dirname(wanted), { recursive: true });
    return { binDir: path.join(bins.nativeDir, "bin"), databaseDir: wanted, notes: [] };
  }
  const runAs = ensureServiceUser();
  const notes: string[] = [];
  await mkdir(path.dirname(wanted), { recursive: true });

  let nativeDir = bins.nativeDir;
  if (!(await canTraverse(runAs, path.join(nativeDir, "bin")))) {
    nativeDir = await copyBinaries(bins, await relocationBase());
    notes.push(
      `the PostgreSQL binaries in ${bins.nativeDir} are not reachable by the '${runAs.name}' user the server must run as (root cannot run PostgreSQL); using a copy in ${nativeDir}`,
    );
  }

  let databaseDir = wanted;
  // An existing cluster at the wanted place is used where it is (it was reachable before).
  if (!existsSync(path.join(wanted, "PG_VERSION")) && !(await canTraverse(runAs, path.dirname(wanted)))) {
    const base = await relocationBase();
    databaseDir = path.join(base, `data-${createHash("sha256").update(wanted).digest("hex").slice(0, 12)}`, "pg");
    await mkdir(path.dirname(databaseDir), { recursive: true, mode: 0o700 });
    await chown(path.dirname(databaseDir), runAs.uid, runAs.gid);
    notes.push(
      `${path.dirname(wanted)} is not reachable by the '${runAs.name}' user (an owner-only folder such as /root); the database lives in ${databaseDir} instead`,
    );
    await writeFile(
      path.join(path.dirname(wanted), "POSTGRES_DATA_LOCATION.txt"),
      `The embedded PostgreSQL's data for this folder lives in ${databaseDir}\n(this folder is not reachable by the '${runAs.name}' user the server runs as).\n`,
    );
  }
  if (databaseDir === wanted) {
    // The server must create and own its data directory inside this folder.
    await chmod(path.dirname(wanted), 0o755);
  }
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  await chown(databaseDir, runAs.uid, runAs.gid);
  return { binDir: path.join(nativeDir, "bin"), databaseDir, runAs, notes };
}

/** True when `user` may enter every folder from / down to `dir` (ignoring ACLs). */
export async function canTraverse(user: OsUser, dir: string): Promise<boolean> {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (let i = 0; i <= parts.length; i++) {
    let st;
    try {
      st = await stat(current);
    } catch {
      return false;
    }
    const bit = st.uid === user.uid ? 0o100 : user.groups.includes(st.gid) ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return false;
    if (i < parts.length) current = path.join(current, parts[i]!);
  }
  return true;
}

function lookupUser(name: string): OsUser | undefined {
  try {
    const id = (flag: string) => execFileSync("id", [flag, name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return { name, uid: Number(id("-u")), gid: Number(id("-g")), groups: id("-G").split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
}

function ensureServiceUser(): OsUser {
  const existing = lookupUser(SERVICE_USER);
  if (existing) return existing;
  try {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (err) {
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    throw new EmbeddedPostgresError(
      `PostgreSQL cannot run as root, and creating the unprivileged '${SERVICE_USER}' user to run it failed (${detail}). Create that user yourself (useradd --system --user-group ${SERVICE_USER}), run as a normal user, or set DATABASE_URL to use another server.`,
    );
  }
  const created = lookupUser(SERVICE_USER);
  if (!created) throw new EmbeddedPostgresError(`useradd reported success but user '${SERVICE_USER}' does not exist; create it yourself or set DATABASE_URL.`);
  return created;
}

/** A root-owned folder every user can traverse but only root can write: /var/lib/exit-brain, else under the temp dir. */
async function relocationBase(): Promise<string> {
  for (const base of [path.join("/var/lib", "exit-brain"), path.join(tmpdir(), "exit-brain-root")]) {
    try {
      await mkdir(base, { recursive: true, mode: 0o755 });
      await chmod(base, 0o755);
      return base;
    } catch {
      // try the next place
    }
  }
  throw new EmbeddedPostgresError(
    "Running as root from an owner-only folder, and neither /var/lib/exit-brain nor the temp folder can hold the embedded PostgreSQL. Run as a normal user, or set DATABASE_URL.",
  );
}

// Copied once per package version; a half-finished copy is never used (copy, then rename).
async function copyBinaries(bins: PostgresBinaries, base: string): Promise<string> {
  const target = path.join(base, `postgres-${bins.version}`);
  if (existsSync(path.join(target, "bin", "postgres"))) return target;
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await cp(bins.nativeDir, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  await rename(partial, target).catch(async (err: NodeJS.ErrnoException) => {
    // Another process finished the same copy first.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(path.join(target, "bin", "postgres"))) throw err;
  });
  return target;
}
