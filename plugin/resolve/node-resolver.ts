import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ModuleResolver } from "../types.ts";
import { readTsconfigPaths, type PathMapping } from "./tsconfig.ts";
import { workspaceTargets } from "./workspace-package.ts";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];
/** Types only: a package's `types` entry, which holds no action. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `./a` -> `./a.ts`, `./a.js` -> `./a.ts` (TS's ESM convention), `./dir` -> `./dir/index.ts`. */
function probe(base: string): string | null {
  if (EXTENSIONS.some((e) => base.endsWith(e)) && isFile(base)) return base;
  const stripped = base.replace(/\.(m|c)?jsx?$/, "");
  for (const ext of EXTENSIONS) if (isFile(stripped + ext)) return stripped + ext;
  for (const ext of EXTENSIONS) if (isFile(join(base, "index" + ext))) return join(base, "index" + ext);
  return null;
}

function matchPaths(specifier: string, mapping: PathMapping): string | null {
  for (const [pattern, targets] of mapping.paths) {
    const star = pattern.indexOf("*");
    let captured: string | null = null;
    if (star < 0) {
      if (specifier === pattern) captured = "";
    } else {
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
        captured = specifier.slice(prefix.length, specifier.length - suffix.length);
      }
    }
    if (captured === null) continue;
    for (const target of targets) {
      const hit = probe(resolve(mapping.baseDir, target.replace("*", captured)));
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * The file-system resolver: relative and absolute imports, the `paths` of the
 * project's tsconfig.json, and the TypeScript sources of the workspace's own
 * packages (linked into node_modules from outside it). Installed packages resolve
 * to null: the compiler never looks inside node_modules.
 */
export function nodeResolver(root: string): ModuleResolver {
  const absRoot = resolve(root);
  const tsconfig = join(absRoot, "tsconfig.json");
  const mapping = existsSync(tsconfig) ? readTsconfigPaths(tsconfig) : null;
  return {
    root: absRoot,
    resolve(specifier, fromFile) {
      if (specifier.startsWith(".") || isAbsolute(specifier)) return probe(resolve(dirname(fromFile), specifier));
      // TypeScript's order: `paths`, then `baseUrl`, then packages.
      const mapped = mapping ? matchPaths(specifier, mapping) ?? (mapping.baseUrl ? probe(resolve(mapping.baseUrl, specifier)) : null) : null;
      if (mapped) return mapped;
      for (const target of workspaceTargets(specifier, fromFile)) {
        const hit = DECLARATION_FILE.test(target) ? null : probe(target);
        if (hit) return hit;
      }
      return null;
    },
    read(file) {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return null;
      }
    },
  };
}
