import { pathToFileURL } from "node:url";
import type { ActionLocation } from "../plugin/index.ts";
import { UsageError } from "./exit-codes.ts";
import { isAction } from "../runtime/index.ts";
import { importOptional } from "../runtime/missing-package.ts";
import { prepareUserCodeLoading } from "./user-code.ts";

/**
 * Imports the modules that define the actions a workflow calls and returns the
 * action values keyed by action name, ready for `runLocal`. Each module is
 * imported once, however many of its actions are used.
 */
export async function loadActions(sources: readonly ActionLocation[], modules: ModuleCache = new Map()): Promise<Record<string, unknown>> {
  const actions: Record<string, unknown> = {};
  for (const source of sources) {
    const value = exported(await importOnce(source.file, modules), source.exportName);
    if (value === undefined) {
      throw new UsageError(`action "${source.name}": ${source.file} has no export named "${source.exportName}"`);
    }
    if (!isAction(value)) {
      throw new UsageError(`action "${source.name}": the export "${source.exportName}" of ${source.file} is not an action when the module is loaded`);
    }
    actions[source.name] = value;
  }
  return actions;
}

/**
 * `module[name]`. A TypeScript file of a project without `"type": "module"` loads
 * as CommonJS, whose namespace holds the whole `module.exports` as `default`: the
 * module's own default export is then `default.default`.
 */
export function exported(module: Record<string, unknown>, name: string): unknown {
  const value = module[name];
  if (name !== "default" || isAction(value) || typeof value !== "object" || value === null) return value;
  const inner = (value as Record<string, unknown>).default;
  return isAction(inner) ? inner : value;
}

/** Modules by file: tsImport gives each call a fresh instance, so import each file once per run. */
export type ModuleCache = Map<string, Promise<Record<string, unknown>>>;

export function importOnce(file: string, modules: ModuleCache): Promise<Record<string, unknown>> {
  let module = modules.get(file);
  if (!module) modules.set(file, (module = importModule(file)));
  return module;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  // tsx only now: a worker serving bundles and prebuilt IR never loads it (nor esbuild below it).
  const { tsImport } = await importOptional(() => import("tsx/esm/api"));
  prepareUserCodeLoading();
  try {
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    // Loading user code is configuration, not the workflow failing: exit 3, not 1.
    const reason = error instanceof Error ? userStack(error) : String(error);
    throw new UsageError(`cannot load actions from ${file}:\n${reason}`);
  }
}

/**
 * The error's stack down to where Node's module loader (and cairn below it) took
 * over: only the user's frames. A module tsx loads as CommonJS runs from a
 * `data:` URL holding its whole transformed text; such a frame is shown as the
 * file it came from (without a position: it would be one in the transformed text).
 */
function userStack(error: Error): string {
  const lines = (error.stack ?? `${error.name}: ${error.message}`).split("\n");
  const loader = lines.findIndex((line, i) => i > 0 && /\(node:internal\/modules\/|at (async )?ModuleJob\.run|at (async )?ModuleLoader\./.test(line));
  return (loader > 0 ? lines.slice(0, loader) : lines)
    .map((line) => line.replace(/data:text\/javascript,\S*?[?&]filePath=([^:)&\s]+)[^)\s]*/, (_, path: string) => decodeURIComponent(path).replace(/\?.*$/, "")))
    .join("\n");
}
