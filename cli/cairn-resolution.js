// Lets code outside any project that depends on cairn (say /tmp/x/wf.ts) still
// `import { action } from "cairn"` when the CLI loads it. Node finds no
// node_modules/cairn above such a file, so when normal resolution fails we
// resolve the same specifier again from inside this package, where its own
// "exports" (self-reference) map it to the right entry point. Resolution that
// succeeds is never touched, so a project's installed copy of cairn always wins.
//
// Plain JavaScript: this file is also loaded as a module hook in Node's loader
// thread, before any TypeScript support exists there.
import Module, { createRequire, register } from "node:module";

const PACKAGE_JSON_URL = new URL("../package.json", import.meta.url);

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
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!isCairn(specifier) || context.parentURL === PACKAGE_JSON_URL.href) throw error;
    return nextResolve(specifier, { ...context, parentURL: PACKAGE_JSON_URL.href });
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
  cjs._resolveFilename = function (request, ...rest) {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (error) {
      if (!isCairn(request) || /** @type {{ code?: string }} */ (error).code !== "MODULE_NOT_FOUND") throw error;
      return selfRequire.resolve(request);
    }
  };
  register(import.meta.url);
}
