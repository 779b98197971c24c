import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ModuleResolver } from "./module-resolver.ts";
import { isFile, readText } from "./file-probes.ts";
import { readTsconfigPaths, type PathMapping } from "./tsconfig.ts";
import { workspaceTargets } from "./workspace-package.ts";

const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];
const JS_EXTENSIONS = [".js", ".jsx", ".mjs", ".cjs"];
/** Types only: a package's `types` entry, which holds no action. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/**
 * `./a` -> `./a.ts`, `./a.js` -> `./a.ts` (TypeScript's ESM convention), `./dir` ->
 * `./dir/index.ts`; in JavaScript, where there is no such TypeScript file,
 * `./a.js` itself, `./a` -> `./a.js`, `./dir` -> `./dir/index.js`.
 */
function probe(base: string): string | null {
  const stripped = base.replace(/\.(m|c)?jsx?$/, "");
  const candidates = [
    ...(TS_EXTENSIONS.some((e) => base.endsWith(e)) ? [base] : []),
    ...TS_EXTENSIONS.map((e) => stripped + e),
    ...(stripped !== base ? [base] : JS_EXTENSIONS.map((e) => base + e)),
    ...[...TS_EXTENSIONS, ...JS_EXTENSIONS].map((e) => join(base, "index" + e)),
  ];
  return candidates.find(isFile) ?? null;
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
 * The file-system resolver: relative and absolute imports, the `paths` and
 * `baseUrl` of the project's tsconfig.json, and the sources of the workspace's own
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
      // The TypeScript source wherever the package names it, else what it names first.
      const hits = workspaceTargets(specifier, fromFile).flatMap((t) => (DECLARATION_FILE.test(t) ? [] : (probe(t) ?? [])));
      return hits.find((f) => TS_EXTENSIONS.some((e) => f.endsWith(e))) ?? hits[0] ?? null;
    },
    read: readText,
  };
}
