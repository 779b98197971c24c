// `node --import <this file> ...`: appends the path or URL of every module the
// process loads, one a line, to the file named by CAIRN_RECORD_MODULES. ES modules
// through a resolve hook (it runs on Node's loader thread, so it writes the file
// itself); CommonJS modules (what `require` loads, which that hook does not see on
// Node 20) through Module._load. test/cli-built.test.ts reads the list when the
// worker is ready to check that a deployed worker loads no compiler.
import Module, { register } from "node:module";
import { appendFileSync } from "node:fs";

const file = process.env.CAIRN_RECORD_MODULES;
if (file) {
  const hook = `
    import { appendFileSync } from "node:fs";
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(${JSON.stringify(file)}, resolved.url + "\\n");
      return resolved;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const load = /** @type {any} */ (Module)._load;
  /** @type {any} */ (Module)._load = function (/** @type {string} */ request, /** @type {any} */ parent, /** @type {boolean} */ isMain) {
    const exports = load.call(this, request, parent, isMain);
    try {
      appendFileSync(file, /** @type {any} */ (Module)._resolveFilename(request, parent, isMain) + "\n");
    } catch {
      // A builtin or a request only the original loader can name: nothing to record.
    }
    return exports;
  };
}
