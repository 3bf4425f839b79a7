// The repository must stand alone: a fresh clone, wherever it is put, has nothing beside it. So no
// tracked file may refer to a path outside the repository (a sibling checkout, the machine it was
// written on), and every relative link in a tracked Markdown file must lead to a tracked file
// inside the repository. Scans what `git ls-files` lists, as a clone would see it.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Built from parts so this file does not contain the strings it forbids.
const OUTSIDE_PATHS = [["..", "shared"].join("/"), ["", "work", ""].join("/")];

function gitFiles(): string[] | null {
  try {
    const out = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return out.split("\0").filter((f) => f !== "");
  } catch {
    return null; // not a git checkout (e.g. an exported tarball): nothing is "tracked"
  }
}

const tracked = gitFiles();
/** Tracked and present in the working tree (a tracked file deleted locally is not a link target). */
const present = (tracked ?? []).filter((f) => existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).isFile());
const presentSet = new Set(present);

/** The file's text, or null for a binary file (a NUL byte in the first 8 KiB). */
function textOf(file: string): string | null {
  const buf = readFileSync(path.join(ROOT, file));
  if (buf.subarray(0, 8192).includes(0)) return null;
  return buf.toString("utf8");
}

interface Hit {
  file: string;
  line: number;
  text: string;
}

function outsideReferences(file: string, text: string): Hit[] {
  const hits: Hit[] = [];
  text.split("\n").forEach((line, i) => {
    for (const needle of OUTSIDE_PATHS) {
      if (line.includes(needle)) hits.push({ file, line: i + 1, text: `${needle} in: ${line.trim().slice(0, 160)}` });
    }
  });
  return hits;
}

/** Markdown without fenced code blocks and inline code spans (links there are code, not links). */
function withoutCode(md: string): string {
  const lines = md.split("\n");
  let fence: string | null = null;
  const kept = lines.map((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === null && m) {
      fence = m[1]!.slice(0, 3);
      return "";
    }
    if (fence !== null) {
      if (line.trim().startsWith(fence)) fence = null;
      return "";
    }
    return line.replace(/(`+)[^`]*?\1/g, "");
  });
  return kept.join("\n");
}

/** Link targets of inline links/images `[text](target "title")` and reference definitions `[id]: target`. */
function markdownLinks(md: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  withoutCode(md)
    .split("\n")
    .forEach((line, i) => {
      for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1]!, line: i + 1 });
      const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
      if (def) out.push({ target: def[1]!, line: i + 1 });
    });
  return out;
}

/** Why a link target is broken, or null when it is fine (external, an anchor, or a tracked file). */
function brokenLink(fromFile: string, target: string, files: ReadonlySet<string>): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) return null; // http:, mailto:, ...
  if (target.startsWith("#")) return null;
  let bare: string;
  try {
    bare = decodeURIComponent(target.replace(/[?#].*$/, ""));
  } catch {
    return "not a valid URL path";
  }
  if (bare === "") return null;
  if (bare.startsWith("/")) return "an absolute path: links must be relative to the file";
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), bare));
  if (resolved === ".." || resolved.startsWith("../")) return "resolves outside the repository";
  const asDir = resolved.replace(/\/$/, "");
  if (files.has(asDir)) return null;
  for (const f of files) if (f.startsWith(`${asDir}/`)) return null; // a folder with tracked files
  return `${resolved} is not a tracked file`;
}

describe.skipIf(tracked === null)("the repository stands alone", () => {
  it("lists tracked files", () => {
    expect(present.length).toBeGreaterThan(0);
    expect(presentSet.has("README.md")).toBe(true);
  });

  it("no tracked file refers to a path outside the repository", () => {
    const hits: Hit[] = [];
    for (const file of present) {
      const text = textOf(file);
      if (text !== null) hits.push(...outsideReferences(file, text));
    }
    expect(hits.map((h) => `${h.file}:${h.line}: ${h.text}`)).toEqual([]);
  });

  it("every relative link in a tracked Markdown file leads to a tracked file inside the repository", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of present.filter((f) => f.toLowerCase().endsWith(".md"))) {
      for (const link of markdownLinks(readFileSync(path.join(ROOT, file), "utf8"))) {
        checked++;
        const why = brokenLink(file, link.target, presentSet);
        if (why) broken.push(`${file}:${link.line}: (${link.target}) ${why}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(0); // the README links the docs: a scan that finds nothing is broken
  });
});

describe("the link and path checks themselves", () => {
  const files = new Set(["docs/a.md", "README.md", "sim/data/x.csv"]);

  it("finds references outside the repository", () => {
    expect(outsideReferences("x.md", `see ${OUTSIDE_PATHS[0]}/DESIGN.md`)).toHaveLength(1);
    expect(outsideReferences("x.ts", `const p = "${OUTSIDE_PATHS[1]}main";`)).toHaveLength(1);
    expect(outsideReferences("x.ts", "const p = './shared';")).toEqual([]);
  });

  it("extracts links, not code", () => {
    const md = ["[a](docs/a.md) ![img](pic.png \"t\")", "`[b](c.md)`", "```", "[d](e.md)", "```", "[ref]: ../out.md"].join("\n");
    expect(markdownLinks(md).map((l) => l.target)).toEqual(["docs/a.md", "pic.png", "../out.md"]);
  });

  it("judges targets relative to the linking file", () => {
    expect(brokenLink("README.md", "docs/a.md", files)).toBeNull();
    expect(brokenLink("docs/b.md", "a.md#section", files)).toBeNull();
    expect(brokenLink("docs/b.md", "../README.md", files)).toBeNull();
    expect(brokenLink("docs/b.md", "https://example.com/x", files)).toBeNull();
    expect(brokenLink("docs/b.md", "#top", files)).toBeNull();
    expect(brokenLink("docs/b.md", "../../x.md", files)).toMatch(/outside the repository/);
    expect(brokenLink("docs/b.md", "missing.md", files)).toMatch(/not a tracked file/);
    expect(brokenLink("docs/b.md", "/etc/passwd", files)).toMatch(/absolute/);
    expect(brokenLink("README.md", "sim/data/", files)).toBeNull();
    expect(brokenLink("README.md", "sim/nothing/", files)).toMatch(/not a tracked file/);
  });
});
