import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { decodePack, encodePack, type CachedCompile } from "./cache-pack.ts";

export type { CachedCompile } from "./cache-pack.ts";

/** Packs in a folder before a flush merges them into one. */
const MAX_PACKS = 8;
/** A dev server compiles modules one at a time, with no end of build: what it set is written this long after. */
const FLUSH_DELAY_MS = 1000;

/**
 * Compiled modules kept across builds (and processes) in one directory, so a
 * restarted dev server or a CI build with a restored cache skips the parse and
 * the lowering of every unchanged workflow module. An entry is only served when
 * the compiler is byte-for-byte the one that wrote it (the fingerprint); whether
 * the module's inputs are unchanged is for the caller to check against `reads`
 * and `resolutions`. The cache never fails a build: an unreadable, corrupt or
 * foreign pack is ignored, and a failed write is dropped.
 *
 * Entries are written in packs (see cache-pack.ts), one per flush: a build's
 * whole batch at its end, not a file per module, since creating a file costs more
 * than writing it (0.01 ms to over 1 ms on some disks, against a compile of about
 * one). The packs are read once, on first use, the newest entry of a module
 * winning; entries written later by other processes are not seen, which costs a
 * compile, never a wrong result. Every MAX_PACKS flushes the packs are merged
 * into one, leaving out modules whose file no longer exists.
 */
export class CompileCache {
  private fingerprintValue: string | null | undefined;
  /** Entries of the packs on disk, read on first use. */
  private loaded: Map<string, CachedCompile> | undefined;
  /** Names of the packs read or written by this instance: what a merge replaces. */
  private readonly packs: string[] = [];
  /** Set since the last flush. */
  private readonly pending = new Map<string, CachedCompile>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `fingerprint`: of the compiler that reads and writes the entries, asked for on
   * first use (default: compilerFingerprint(); null turns the cache off).
   */
  constructor(
    readonly dir: string,
    private readonly fingerprintOf: () => string | null = compilerFingerprint,
  ) {}

  get(file: string): CachedCompile | null {
    if (this.fingerprint() === null) return null;
    return this.pending.get(file) ?? this.entries().get(file) ?? null;
  }

  /** Kept until flush(), which a bundler's end of build calls; at the latest FLUSH_DELAY_MS later. */
  set(file: string, compile: CachedCompile): void {
    if (this.fingerprint() === null) return;
    this.pending.set(file, compile);
    // Unref'd: a pending write never keeps a process alive (a build's end has flushed).
    this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Writes what was set since the last flush as one pack, or, with MAX_PACKS packs already, every live entry as one. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const fingerprint = this.fingerprint();
    if (fingerprint === null || this.pending.size === 0) return;
    const entries = this.entries();
    for (const [file, compile] of this.pending) entries.set(file, compile);
    const merge = this.packs.length >= MAX_PACKS;
    if (merge) for (const file of entries.keys()) if (!existsSync(file)) entries.delete(file);
    const batch = merge ? entries : this.pending;
    const name = packName();
    const path = join(this.dir, name);
    // Write then rename: parallel builds sharing the directory never read half a pack.
    const tmp = `${path}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writePieces(tmp, encodePack(fingerprint, [...batch].map(([file, compile]) => ({ file, compile }))));
      renameSync(tmp, path);
    } catch {
      tryRemove(tmp);
      this.pending.clear();
      return;
    }
    this.pending.clear();
    if (merge) {
      // Only packs this instance read or wrote: another process's newer pack stays.
      for (const old of this.packs.splice(0)) tryRemove(join(this.dir, old));
    }
    this.packs.push(name);
  }

  private entries(): Map<string, CachedCompile> {
    if (this.loaded) return this.loaded;
    const fingerprint = this.fingerprint()!;
    const loaded = new Map<string, CachedCompile>();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith(".pack")).sort();
    } catch {
      // No folder yet: nothing cached.
    }
    for (const name of names) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(this.dir, name));
      } catch {
        continue; // merged away by another process since the listing
      }
      // A damaged or foreign pack is merged away with the rest.
      this.packs.push(name);
      for (const { file, compile } of decodePack(bytes, fingerprint) ?? []) loaded.set(file, compile);
    }
    return (this.loaded = loaded);
  }

  private fingerprint(): string | null {
    if (this.fingerprintValue === undefined) this.fingerprintValue = this.fingerprintOf();
    return this.fingerprintValue;
  }
}

/**
 * Sorts in the order packs were written: by wall-clock millisecond, then, within
 * one, by this process's monotonic clock (flushes a few microseconds apart, or a
 * merge right after a flush, must not come out in a random order). Across
 * processes the same millisecond is a tie either way, which at worst serves an
 * older entry that the caller's input check then turns into a compile.
 */
function packName(): string {
  const ms = Date.now().toString(36).padStart(10, "0");
  const ns = process.hrtime.bigint().toString(36).padStart(13, "0");
  return `${ms}-${ns}-${process.pid}-${randomBytes(4).toString("hex")}.pack`;
}

/** Writes the file from its pieces, in order, without joining them. */
function writePieces(path: string, pieces: readonly string[]): void {
  const fd = openSync(path, "w");
  try {
    // To a descriptor, writeFileSync writes at the current position, the whole piece.
    for (const piece of pieces) writeFileSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

function tryRemove(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The folder itself is unusable: nothing to remove.
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
