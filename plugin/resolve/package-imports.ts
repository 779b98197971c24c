import { dirname, join, resolve } from "node:path";
import { resolveImports, type PathConditionsMap } from "resolve-pkg-maps";
import { isFile, readText } from "./file-probes.ts";

/**
 * Conditions a `#subpath` import is resolved under: TypeScript's (whose `types`
 * may name the source) and Node's at run time; the caller prefers a TypeScript
 * source among the files either gives.
 */
const CONDITION_SETS = [["types", "import", "node"], ["import", "node"]];

/**
 * The files `package.json` `imports` (`#actions`, `#lib/*`) maps a specifier to,
 * in the nearest package.json above the importing file (its package scope), as
 * resolve-pkg-maps reads the map; empty when it maps nothing.
 */
export function packageImportTargets(specifier: string, fromFile: string): string[] {
  if (!specifier.startsWith("#")) return [];
  const scope = packageScope(dirname(fromFile));
  if (scope === null) return [];
  const imports = scope.manifest.imports;
  if (typeof imports !== "object" || imports === null || Array.isArray(imports)) return [];
  const targets = CONDITION_SETS.flatMap((conditions) => {
    try {
      return resolveImports(imports as PathConditionsMap, specifier, conditions);
    } catch {
      // No match, or a target the map forbids: nothing to follow.
      return [];
    }
  });
  // Only the package's own files: a target naming another package is that package's business.
  return [...new Set(targets.filter((t) => t.startsWith("./")).map((t) => resolve(scope.dir, t)))];
}

function packageScope(from: string): { dir: string; manifest: { imports?: unknown } } | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (isFile(file)) {
      try {
        const manifest: unknown = JSON.parse(readText(file) ?? "");
        return typeof manifest === "object" && manifest !== null ? { dir, manifest } : null;
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}
