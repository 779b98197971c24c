import { fileURLToPath } from "node:url";

/**
 * cairn's own code, by where this module is: two folders below the package root
 * both as a source (plugin/pipeline/) and built (dist/plugin/). Installed, it is
 * under node_modules, which the default `exclude` leaves out; linked (`npm link`,
 * a workspace, this repository's tests) bundlers load it from its real path,
 * outside every node_modules. Its built chunks name the package in quotes (the
 * import check's own constant), so they pass the quick check: without this, every
 * build would compile cairn's runtime as if it were the user's module.
 */
export const CAIRN_CODE: readonly string[] = ["index.ts", "plugin/", "runtime/", "ir-schema/", "cli/", "dist/"].map((rel) =>
  fileURLToPath(new URL(`../../${rel}`, import.meta.url)),
);

/** Whether an absolute path is one of cairn's own files (never the user's code). */
export function isCairnCode(path: string): boolean {
  return CAIRN_CODE.some((prefix) => path.startsWith(prefix));
}
