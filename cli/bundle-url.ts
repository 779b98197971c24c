import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { compileFunction } from "node:vm";

/**
 * Query that marks a bundle (and the chunks it imports) as an ES module for the
 * CLI's resolve hook (cli/cairn-resolution.js), which then says so to the loaders.
 */
export const ESM_MARK = "cairn-esm";

/**
 * The URL to import a built bundle by. A `.js` file with no `"type"` in its
 * package.json is CommonJS to Node unless its syntax says otherwise, and Node
 * loads such an ES module bundle (esbuild's `format: "esm"` into `.js`) by
 * looking; the TypeScript loader the CLI runs with (tsx) does not look, and the
 * import fails with ERR_REQUIRE_CYCLE_MODULE. So the CLI looks, as Node does: a
 * file that does not compile as a CommonJS module body but uses import/export is
 * an ES module, and its URL gets the mark.
 */
export function bundleImportUrl(file: string): string {
  const url = pathToFileURL(file).href;
  if (extname(file) !== ".js" || packageType(dirname(file)) !== null) return url;
  return isEsmSyntax(readFileSync(file, "utf8"), file) ? `${url}?${ESM_MARK}` : url;
}

/** The `type` of the nearest package.json, as Node finds it (null: none, or no `type`). */
function packageType(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    const pkg = join(d, "package.json");
    if (existsSync(pkg)) {
      try {
        const type = (JSON.parse(readFileSync(pkg, "utf8")) as { type?: unknown }).type;
        return typeof type === "string" ? type : null;
      } catch {
        return null;
      }
    }
    if (dirname(d) === d) return null;
  }
}

/** Compiled (never run) as a CommonJS module body: the errors that only ES module syntax causes. */
function isEsmSyntax(source: string, file: string): boolean {
  try {
    compileFunction(source, ["exports", "require", "module", "__filename", "__dirname"], { filename: file });
    return false;
  } catch (error) {
    return error instanceof SyntaxError && /import statement outside a module|Unexpected token 'export'|import\.meta|await is only valid/.test(error.message);
  }
}
