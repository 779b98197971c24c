import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModuleLayout } from "../analyze/module-layout.ts";
import type { Diagnostic } from "../types.ts";

/** Bumped when the entry layout below changes; an entry of another format is a miss. */
const ENTRY_FORMAT = 1;

/** One module's compile as kept on disk: what it depended on, and what it produced. */
export interface CachedCompile {
  /** Digest of the module's text. */
  source: string;
  /** Project root the compile was relative to (artifact `source`, every `loc`). */
  root: string;
  /** Every other file the compile read, with the digest of its text then (null: it did not exist). */
  reads: Array<[file: string, digest: string | null]>;
  /** Every import the compile resolved, with what it resolved to then. */
  resolutions: Array<[specifier: string, from: string, resolved: string | null]>;
  /** canonicalJson of each artifact, in compile order. */
  canonical: string[];
  layout: ModuleLayout | null;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/**
 * Compiled modules kept across builds (and processes) in one directory, one file
 * per module, so a restarted dev server or a CI build with a restored cache skips
 * the parse and the lowering of every unchanged workflow module. An entry is only
 * served when the compiler is byte-for-byte the one that wrote it (the
 * fingerprint); whether the module's inputs are unchanged is for the caller to
 * check against `reads` and `resolutions`. The cache never fails a build: an
 * unreadable, corrupt or foreign entry is a miss, and a failed write is dropped.
 */
export class CompileCache {
  private fingerprintValue: string | null | undefined;

  /** `fingerprint` is for tests; by default it is a digest of the compiler's own source files. */
  constructor(
    readonly dir: string,
    private readonly fingerprintOverride?: string,
  ) {}

  get(file: string): CachedCompile | null {
    const fingerprint = this.fingerprint();
    if (fingerprint === null) return null;
    let entry: unknown;
    try {
      entry = JSON.parse(readFileSync(this.pathOf(file), "utf8"));
    } catch {
      return null;
    }
    if (!isEntry(entry) || entry.format !== ENTRY_FORMAT || entry.fingerprint !== fingerprint || entry.file !== file) return null;
    return entry.compile;
  }

  set(file: string, compile: CachedCompile): void {
    const fingerprint = this.fingerprint();
    if (fingerprint === null) return;
    const path = this.pathOf(file);
    // Write then rename: parallel builds sharing the directory never read half an entry.
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, JSON.stringify({ format: ENTRY_FORMAT, fingerprint, file, compile }));
      renameSync(tmp, path);
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // The directory itself is unusable: nothing was left behind.
      }
    }
  }

  /** One entry per module path, overwritten when it changes: the directory grows with the project, not with its history. */
  private pathOf(file: string): string {
    return join(this.dir, `${createHash("sha1").update(file).digest("hex")}.json`);
  }

  private fingerprint(): string | null {
    if (this.fingerprintValue === undefined) this.fingerprintValue = this.fingerprintOverride ?? compilerFingerprint();
    return this.fingerprintValue;
  }
}

/**
 * A digest of everything that decides what the compiler outputs: its source
 * files (the package version alone would not change for a linked checkout under
 * development) and the parser's version. Null, which turns the cache off, when
 * they cannot be read (the compiler was bundled into something else).
 */
export function compilerFingerprint(): string | null {
  try {
    const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
    const hash = createHash("sha1");
    for (const dir of ["plugin", "ir-schema"]) {
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

function isEntry(value: unknown): value is { format: number; fingerprint: string; file: string; compile: CachedCompile } {
  if (typeof value !== "object" || value === null) return false;
  const c = (value as { compile?: unknown }).compile as Partial<CachedCompile> | undefined;
  return (
    typeof c === "object" && c !== null &&
    typeof c.source === "string" && typeof c.root === "string" &&
    Array.isArray(c.reads) && Array.isArray(c.resolutions) &&
    Array.isArray(c.canonical) && c.canonical.every((s) => typeof s === "string") &&
    (c.layout === null || typeof c.layout === "object") &&
    Array.isArray(c.errors) && Array.isArray(c.warnings)
  );
}
