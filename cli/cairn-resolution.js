// Lets code outside any project that depends on cairn (say /tmp/x/wf.ts) still
// `import { action } from "cairn"` when the CLI loads it. Node finds no
// node_modules/cairn above such a file, so when normal resolution fails we
// resolve the same specifier again from inside this package, where its own
// "exports" (self-reference) map it to the right entry point. Resolution that
// succeeds is never touched, so a project's installed copy of cairn always wins.
//
// It also keeps the CLI process on one version of cairn's code. The package's
// entry points resolve to JavaScript built into dist/ (what plain Node runs), but
// the CLI runs the TypeScript sources; user code importing "cairn" gets the same
// sources, never the build beside them (which may be stale in a checkout, or not
// built at all). So a resolution that lands on one of this package's built entry
// points is answered with the source file the package.json "cairn-source"
// condition names for it. (tsx still loads a user file's imports as instances of
// their own, under its namespace query; the runtime's instances agree through
// Symbol.for keys.) Another installed copy of cairn is left alone.
//
// Plain JavaScript: this file is also loaded as a module hook in Node's loader
// thread, before any TypeScript support exists there.
import Module, { createRequire, register } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PACKAGE_JSON_URL = new URL("../package.json", import.meta.url);

/** URL of each built entry point of this package -> URL of its source. */
const SOURCE_OF = sourcesOfBuiltEntries();

function sourcesOfBuiltEntries() {
  /** @type {{ exports: Record<string, string | Record<string, string>> }} */
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON_URL, "utf8"));
  const map = new Map();
  for (const target of Object.values(pkg.exports)) {
    if (typeof target !== "object" || !target["cairn-source"] || !target.default) continue;
    map.set(new URL(target.default, PACKAGE_JSON_URL).href, new URL(target["cairn-source"], PACKAGE_JSON_URL).href);
  }
  return map;
}

/** @param {{ url: string, format?: string | null }} resolved */
function toSource(resolved) {
  const source = SOURCE_OF.get(resolved.url);
  // No format: the TypeScript loader (tsx) decides how to load the source.
  return source ? { ...resolved, url: source, format: undefined } : resolved;
}

/** @param {string} specifier */
function isCairn(specifier) {
  return specifier === "cairn" || specifier.startsWith("cairn/");
}

/**
 * ESM resolve hook (module.register).
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context?: object) => Promise<unknown>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  if (!isCairn(specifier)) return nextResolve(specifier, context);
  try {
    return toSource(await nextResolve(specifier, context));
  } catch (error) {
    if (context.parentURL === PACKAGE_JSON_URL.href) throw error;
    return toSource(await nextResolve(specifier, { ...context, parentURL: PACKAGE_JSON_URL.href }));
  }
}

/**
 * Installs the fallback for both module systems. A .ts file with no
 * `"type": "module"` package.json above it is CommonJS to Node (and tsx turns
 * its imports into require calls), which ESM hooks never see; Node 20 has no
 * public synchronous hook for require, so we wrap its resolver, as tsx does.
 */
export function installCairnResolution() {
  const selfRequire = createRequire(PACKAGE_JSON_URL);
  /** @type {{ _resolveFilename: (request: string, ...rest: unknown[]) => string }} */
  const cjs = /** @type {any} */ (Module);
  const resolveFilename = cjs._resolveFilename;
  const sourcePaths = new Map([...SOURCE_OF].map(([built, source]) => [fileURLToPath(built), fileURLToPath(source)]));
  cjs._resolveFilename = function (request, ...rest) {
    if (!isCairn(request)) return resolveFilename.call(this, request, ...rest);
    let resolved;
    try {
      resolved = resolveFilename.call(this, request, ...rest);
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code !== "MODULE_NOT_FOUND") throw error;
      resolved = selfRequire.resolve(request);
    }
    return sourcePaths.get(resolved) ?? resolved;
  };
  register(import.meta.url);
}
