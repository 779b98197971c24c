import { dirname, relative, sep } from "node:path";
import type { ActionLocation } from "../types.ts";
import type { ActionRef } from "./calls.ts";

/** Where a worker finds an action: its name, defining file and export. */
export function actionLocation(action: ActionRef & { name: string }): ActionLocation {
  return { name: action.name, file: action.file, exportName: action.exportName ?? action.local };
}

/** Whether two call sites name one action: the same export of the same file. */
export function sameAction(a: ActionLocation, b: ActionLocation): boolean {
  return a.file === b.file && a.exportName === b.exportName;
}

/** An action as seen from the module `from`: its export and its file. */
export function describeAction(from: string, action: ActionLocation): string {
  return `\`${action.exportName}\` of ${importPath(from, action.file)}`;
}

/** `file` as an import from the module `from` would name it (`./a.ts`, `../lib/a.ts`). */
export function importPath(from: string, file: string): string {
  const rel = relative(dirname(from), file).split(sep).join("/");
  return rel.startsWith("../") ? rel : `./${rel}`;
}
