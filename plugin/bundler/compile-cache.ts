import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModuleLayout } from "../analyze/module-layout.ts";
import type { Diagnostic } from "../types.ts";
import { artifactText, type BuiltWorkflow } from "./built-workflow.ts";

/** Bumped when the entry layout below changes; an entry of another format is a miss. */
const ENTRY_FORMAT = 3;

/**
 * One module's compile as kept on disk: what it depended on, and what it
 * produced. Not the rewritten module: it is made again from the layout and the
 * workflows (a few hundredths of a millisecond), where storing it would double
 * an entry's size, since it embeds every workflow's IR once more.
 */
export interface CachedCompile {
  /** Digest of the module's text. */
  source: string;
  /** Project root the compile was relative to (artifact `source`, every `loc`). */
  root: string;
  /** Every other file the compile read, with the digest of its text then (null: it did not exist). */
  reads: Array<[file: string, digest: string | null]>;
  /** Every import the compile resolved, with what it resolved to then. */
  resolutions: Array<[specifier: string, from: string, resolved: string | null]>;
  /** The module's workflows, in compile order. */
  workflows: BuiltWorkflow[];
  layout: ModuleLayout | null;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** The second line of an entry (after its digest): everything but the workflows' IR, which follows it raw, in `lengths` order. */
interface EntryHeader {
  format: number;
  fingerprint: string;
  file: string;
  compile: Omit<CachedCompile, "workflows"> & { workflows: Array<Omit<BuiltWorkflow, "canonical" | "text">> };
  /** Lengths of each workflow's `canonical` JSON after the header (its artifact `text` is made from it). */
  lengths: number[];
}

/**
 * Compiled modules kept across builds (and processes) in one directory, one file
 * per module, so a restarted dev server or a CI build with a restored cache skips
 * the parse and the lowering of every unchanged workflow module. An entry is only
 * served when the compiler is byte-for-byte the one that wrote it (the
 * fingerprint); whether the module's inputs are unchanged is for the caller to
 * check against `reads` and `resolutions`. The cache never fails a build: an
 * unreadable, corrupt or foreign entry is a miss, and a failed write is dropped.
 *
 * An entry is a digest line, a JSON header line, and the workflows' IR as it
 * is: inside JSON it would be escaped on every write and unescaped on every
 * read, which cost more than reading it. The digest covers everything
 * after it, so a damaged entry is a miss, never a wrong text in a bundle.
 */
export class CompileCache {
  private fingerprintValue: string | null | undefined;
  /**
   * Entry names in the directory, listed once on first use: on a first build
   * every lookup misses, and a failed read costs an exception each. Entries other
   * processes write later are not seen, which costs a compile, never a wrong result.
   */
  private entries: Set<string> | undefined;
  /** Whether the directory is known to exist (made once, again after a failed write). */
  private dirMade = false;

  /**
   * `fingerprint`: of the compiler that reads and writes the entries, asked for on
   * first use (default: compilerFingerprint(); null turns the cache off).
   */
  constructor(
    readonly dir: string,
    private readonly fingerprintOf: () => string | null = compilerFingerprint,
  ) {}

  get(file: string): CachedCompile | null {
    const fingerprint = this.fingerprint();
    if (fingerprint === null) return null;
    const name = entryName(file);
    if (!this.listed().has(name)) return null;
    let header: unknown;
    let text: string;
    try {
      const bytes = readFileSync(join(this.dir, name));
      const first = bytes.indexOf(0x0a);
      const second = bytes.indexOf(0x0a, first + 1);
      if (first < 0 || second < 0) return null;
      if (bytes.toString("latin1", 0, first) !== digest(bytes.subarray(first + 1))) return null;
      header = JSON.parse(bytes.toString("utf8", first + 1, second));
      if (!isHeader(header)) return null;
      text = bytes.toString("utf8", second + 1);
    } catch {
      return null;
    }
    if (header.format !== ENTRY_FORMAT || header.fingerprint !== fingerprint || header.file !== file) return null;
    const { compile, lengths } = header;
    if (lengths.length !== compile.workflows.length) return null;
    if (lengths.reduce((sum, n) => sum + n, 0) !== text.length) return null;
    let at = 0;
    const workflows = compile.workflows.map((w, i) => {
      const canonical = text.slice(at, (at += lengths[i]));
      return { ...w, canonical, text: artifactText(canonical) };
    });
    return { ...compile, workflows };
  }

  set(file: string, compile: CachedCompile): void {
    const fingerprint = this.fingerprint();
    if (fingerprint === null) return;
    const header: EntryHeader = {
      format: ENTRY_FORMAT,
      fingerprint,
      file,
      compile: { ...compile, workflows: compile.workflows.map((w) => ({ fileName: w.fileName, manifest: w.manifest })) },
      lengths: compile.workflows.map((w) => w.canonical.length),
    };
    // A string throughout: the hash and the write each encode it, cheaper than a Buffer copy and a concat.
    const content = `${JSON.stringify(header)}\n${compile.workflows.map((w) => w.canonical).join("")}`;
    const name = entryName(file);
    const path = join(this.dir, name);
    // Write then rename: parallel builds sharing the directory never read half an entry.
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      if (!this.dirMade) mkdirSync(this.dir, { recursive: true });
      this.dirMade = true;
      writeFileSync(tmp, `${digest(content)}\n${content}`);
      renameSync(tmp, path);
      this.listed().add(name);
    } catch {
      // Perhaps the directory was deleted under a long-lived instance: make it again next time.
      this.dirMade = false;
      try {
        rmSync(tmp, { force: true });
      } catch {
        // The directory itself is unusable: nothing was left behind.
      }
    }
  }

  private listed(): Set<string> {
    if (this.entries === undefined) {
      try {
        this.entries = new Set(readdirSync(this.dir).filter((f) => f.endsWith(".entry")));
      } catch {
        this.entries = new Set();
      }
    }
    return this.entries;
  }

  private fingerprint(): string | null {
    if (this.fingerprintValue === undefined) this.fingerprintValue = this.fingerprintOf();
    return this.fingerprintValue;
  }
}

/**
 * A digest of everything that decides what the compiler outputs: its source
 * files and their build (the package version alone would not change for a linked
 * checkout under development) and the parser's version. Null, which turns the
 * cache off, when they cannot be read (the compiler was bundled into something else).
 *
 * Computed once per process, on first use: it stands for the compiler that is
 * loaded, which cannot change while the process runs (a plugin instance made
 * after its sources were edited still runs the old code, and must not label its
 * entries as the new compiler's), and it saves every build reading the sources.
 */
export function compilerFingerprint(): string | null {
  if (loaded === undefined) loaded = fingerprintOfFiles();
  return loaded;
}

let loaded: string | null | undefined;

function fingerprintOfFiles(): string | null {
  try {
    const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
    const hash = createHash("sha1");
    // dist/plugin: the build of the same sources that bundler CLIs load (scripts/build.mjs).
    for (const dir of ["plugin", "ir-schema", "dist/plugin"]) {
      if (dir.startsWith("dist/") && !existsSync(join(packageRoot, dir))) continue;
      for (const file of sourceFiles(join(packageRoot, dir))) {
        hash.update(relative(packageRoot, file)).update("\0").update(readFileSync(file)).update("\0");
      }
    }
    const parser = createRequire(import.meta.url)("@babel/parser/package.json") as { version: string };
    return hash.update(parser.version).digest("hex");
  } catch {
    return null;
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.[cm]?[jt]s$/.test(e.name))
    // `parentPath` from Node 20.12; `path`, its older name, before.
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

/** One entry per module path, overwritten when it changes: the directory grows with the project, not with its history. */
function entryName(file: string): string {
  return `${createHash("sha1").update(file).digest("hex")}.entry`;
}

/** The content digest the cache uses everywhere: of module texts, of the files a compile read, of an entry. */
export function digest(data: string | Uint8Array): string {
  return createHash("sha1").update(data).digest("base64");
}

function isHeader(value: unknown): value is EntryHeader {
  if (typeof value !== "object" || value === null) return false;
  const { compile: c, lengths } = value as Partial<EntryHeader>;
  return (
    typeof c === "object" && c !== null &&
    typeof c.source === "string" && typeof c.root === "string" &&
    Array.isArray(c.reads) && Array.isArray(c.resolutions) &&
    Array.isArray(c.workflows) && c.workflows.every(isWorkflowHeader) &&
    (c.layout === null || typeof c.layout === "object") &&
    Array.isArray(c.errors) && Array.isArray(c.warnings) &&
    Array.isArray(lengths) && lengths.every((n) => Number.isSafeInteger(n) && n >= 0)
  );
}

function isWorkflowHeader(w: unknown): w is Omit<BuiltWorkflow, "canonical" | "text"> {
  if (typeof w !== "object" || w === null) return false;
  const { fileName, manifest: m } = w as Partial<BuiltWorkflow>;
  const strings = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === "string");
  return (
    typeof fileName === "string" &&
    typeof m === "object" && m !== null &&
    typeof m.name === "string" && typeof m.hash === "string" && typeof m.file === "string" && typeof m.source === "string" &&
    strings(m.params) && strings(m.actions)
  );
}
