import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The project a source file belongs to: the nearest ancestor directory holding a
 * package.json or tsconfig.json, else the file's own directory. Artifact `source`
 * paths and `loc`s are relative to it, so `run` and `build` hash a workflow the same.
 */
export function findProjectRoot(file: string): string {
  const start = dirname(file);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, "tsconfig.json"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
