// Lets code outside any project that depends on cairn (say /tmp/x/wf.ts) still
// `import { action } from "cairnjs"` when the CLI loads it. Node finds no
// node_modules/cairnjs above such a file, so when normal resolution fails we
// resolve the same specifier again from inside this package, where its own
// "exports" (self-reference) map it to the right entry point. Resolution that
// succeeds is never touched, so a project's installed copy of cairn always wins.
//
// It also keeps the CLI process on one version of cairn's code. The installed CLI
// (cli/bin.js) runs the build, dist/runtime/cli.js, whose chunks the package's
// entry points share: user code importing "cairnjs" gets the very modules the CLI
// runs, with nothing to map. The repository's tests run the CLI from its TypeScript
// sources instead (cli/source-bin.js, `sources: true`): then user code importing
// "cairnjs" must get the same sources, never the build beside them (which may be
// stale in a checkout), so a resolution that lands on one of this package's built
// entry points is answered with the source file the package.json "cairn-source"
// condition names for it. (tsx still loads a user file's imports as instances of
// their own, under its namespace query; the runtime's instances agree through
// Symbol.for keys.) Another installed copy of cairn is left alone.
//
// And it tells the loaders that a bundle `cairn worker` imports is an ES module
// when cli/bundle-url.ts found it to be one (see there), with its chunks.
//
// Plain JavaScript: this file is also loaded as a module hook in Node's loader
// thread, before any TypeScript support exists there.
import Module, { createRequire, register } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PACKAGE_JSON_URL = new URL("../package.json", import.meta.url);

/** URL of each built entry point of this package -> URL of its source; empty when the CLI runs the build. */
let SOURCE_OF = new Map();

/**
 * Hook thread start (module.register's `data`): whether the CLI runs from sources.
 * @param {{ sources?: boolean } | undefined} data
 */
export function initialize(data) {
  if (data?.sources) SOURCE_OF = sourcesOfBuiltEntries();
}

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

/**
 * The source instead of a built entry point, resolved again through the rest of
 * the chain, so that the TypeScript loader (tsx) marks it as its own to load.
 * @param {{ url: string }} resolved
 * @param {object} context
 * @param {(specifier: string, context?: object) => Promise<{ url: string }>} nextResolve
 */
async function toSource(resolved, context, nextResolve) {
  const source = SOURCE_OF.get(resolved.url.replace(/[?#].*$/, ""));
  return source ? nextResolve(source, context) : resolved;
}

/** The query cli/bundle-url.ts marks an ES module bundle with (kept equal to its ESM_MARK). */
const ESM_MARK = "cairn-esm";

/**
 * A bundle the CLI imports as an ES module (its URL carries the mark), and the
 * `.js` chunks it imports by relative path (marked in turn): format "module",
 * which the loaders then follow, where they would take a typeless `.js` for
 * CommonJS.
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {{ url: string, format?: string | null }} resolved
 */
function asBundleModule(specifier, context, resolved) {
  // Every module the CLI process loads passes here: a string test before any parsing.
  if (!resolved.url.includes(ESM_MARK) && !context.parentURL?.includes(ESM_MARK)) return resolved;
  const marked = (/** @type {string | undefined} */ url) => url !== undefined && new URL(url).searchParams.has(ESM_MARK);
  const chunk = specifier.startsWith(".") && marked(context.parentURL) && new URL(resolved.url).pathname.endsWith(".js");
  if (!marked(resolved.url) && !chunk) return resolved;
  const url = new URL(resolved.url);
  url.searchParams.set(ESM_MARK, "");
  return { ...resolved, url: url.href, format: "module" };
}

/** @param {string} specifier */
function isCairn(specifier) {
  return specifier === "cairnjs" || specifier.startsWith("cairnjs/");
}

/**
 * ESM resolve hook (module.register).
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context?: object) => Promise<unknown>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  if (!isCairn(specifier)) return asBundleModule(specifier, context, await nextResolve(specifier, context));
  let resolved;
  try {
    resolved = await nextResolve(specifier, context);
  } catch (error) {
    if (context.parentURL === PACKAGE_JSON_URL.href) throw error;
    resolved = await nextResolve(specifier, { ...context, parentURL: PACKAGE_JSON_URL.href });
  }
  return toSource(resolved, context, nextResolve);
}

let installed = false;

/**
 * Installs the fallback for both module systems (`sources`: the CLI runs from its
 * TypeScript sources, see above). A .ts file with no
 * `"type": "module"` package.json above it is CommonJS to Node (and tsx turns
 * its imports into require calls), which ESM hooks never see; Node 20 has no
 * public synchronous hook for require, so we wrap its resolver, as tsx does.
 */
export function installCairnResolution({ sources = false } = {}) {
  // Once per process: the source CLI installs it up front, the built one before the first user module.
  if (installed) return;
  installed = true;
  initialize({ sources });
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
  register(import.meta.url, { data: { sources } });
}
