import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { mayUseCairn, type IdFilter } from "../pipeline/options.ts";

/**
 * Finds the files under a directory that may define workflows or actions (pass
 * the id filter and import "cairnjs"). esbuild calls a JavaScript plugin once per
 * matching file at a fixed cost of about 0.1 ms, far more than the quick check
 * itself, so the esbuild adapter scans first and then asks esbuild to call it for
 * exactly these files. Rescans read only files whose size or mtime changed.
 */
export class CandidateScanner {
  private readonly known = new Map<string, { mtimeMs: number; size: number; uses: boolean }>();

  constructor(
    private readonly root: string,
    private readonly filter: IdFilter,
    /** Absolute directories not to descend into (the build's own output). */
    private readonly skip: readonly string[] = [],
  ) {}

  scan(): Set<string> {
    const found = new Set<string>();
    const seen = new Set<string>();
    this.walk(this.root, found, seen);
    for (const file of this.known.keys()) if (!seen.has(file)) this.known.delete(file);
    return found;
  }

  /** Checks one file outside the scanned tree (an entry point elsewhere). */
  check(file: string): boolean {
    return this.filter.test(file) && this.uses(file);
  }

  private walk(dir: string, found: Set<string>, seen: Set<string>): void {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name.startsWith(".") || this.skip.includes(path)) continue;
        this.walk(path, found, seen);
      } else if (e.isFile() && this.filter.test(path)) {
        seen.add(path);
        if (this.uses(path)) found.add(path);
      }
    }
  }

  private uses(file: string): boolean {
    let st;
    try {
      st = statSync(file);
    } catch {
      return false;
    }
    const hit = this.known.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.uses;
    let uses = false;
    try {
      uses = mayUseCairn(readFileSync(file));
    } catch {
      uses = false;
    }
    this.known.set(file, { mtimeMs: st.mtimeMs, size: st.size, uses });
    return uses;
  }
}
