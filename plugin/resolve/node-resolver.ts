import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ModuleResolver } from "./module-resolver.ts";
import { isFile, readText } from "./file-probes.ts";
import { tsconfigPaths } from "./tsconfig.ts";
import { packageImportTargets } from "./package-imports.ts";
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

/**
 * The file-system resolver: relative and absolute imports, the `paths` and
 * `baseUrl` of the project's tsconfig.json, package.json `imports` (`#actions`),
 * and the sources of the workspace's own packages (linked into node_modules from
 * outside it). Installed packages resolve to null: the compiler never looks
 * inside node_modules. (The bundler plugins add the bundler's own resolution.)
 */
export function nodeResolver(root: string): ModuleResolver {
  const absRoot = resolve(root);
  const tsconfig = join(absRoot, "tsconfig.json");
  const paths = existsSync(tsconfig) ? tsconfigPaths(tsconfig) : null;
  return {
    root: absRoot,
    resolve(specifier, fromFile) {
      if (specifier.startsWith(".") || isAbsolute(specifier)) return probe(resolve(dirname(fromFile), specifier));
      // TypeScript's order: `paths`, then `baseUrl`, then package.json `imports`, then packages.
      for (const candidate of paths?.(specifier) ?? []) {
        const hit = probe(candidate);
        if (hit) return hit;
      }
      // The TypeScript source wherever the package names it, else what it names first.
      const targets = specifier.startsWith("#") ? packageImportTargets(specifier, fromFile) : workspaceTargets(specifier, fromFile);
      const hits = targets.flatMap((t) => (DECLARATION_FILE.test(t) ? [] : (probe(t) ?? [])));
      return hits.find((f) => TS_EXTENSIONS.some((e) => f.endsWith(e))) ?? hits[0] ?? null;
    },
    read: readText,
  };
}
