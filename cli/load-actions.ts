import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import type { ActionSource } from "../plugin/index.ts";
import { UsageError } from "./exit-codes.ts";

/**
 * Imports the modules that define the actions a workflow calls and returns the
 * action values keyed by action name, ready for `runLocal`. Each module is
 * imported once, however many of its actions are used.
 */
export async function loadActions(sources: readonly ActionSource[]): Promise<Record<string, unknown>> {
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  const actions: Record<string, unknown> = {};
  for (const source of sources) {
    let module = modules.get(source.file);
    if (!module) modules.set(source.file, (module = importModule(source.file)));
    const value = (await module)[source.exportName];
    if (value === undefined) {
      throw new UsageError(`action "${source.name}": ${source.file} has no export named "${source.exportName}"`);
    }
    actions[source.name] = value;
  }
  return actions;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  try {
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    // Loading user code is configuration, not the workflow failing: exit 3, not 1.
    const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new UsageError(`cannot load actions from ${file}:\n${reason}`);
  }
}
