import { readFileSync, realpathSync, statSync } from "node:fs";

/**
 * File-system questions the compiler and the plugins ask of paths that may not
 * exist: each answers no (false, null) instead of throwing, for a missing path
 * and for one that cannot be followed (a link loop, a folder we may not enter).
 * A missing path throws no exception either: resolution probes many of them.
 */
export function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

export function realPath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The file's bytes, or null when it cannot be read. */
export function readBytes(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** The file's text, or null when it cannot be read. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
