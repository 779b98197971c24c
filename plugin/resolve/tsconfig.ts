import { createPathsMatcher, parseTsconfig } from "get-tsconfig";

/** The files a bare specifier may name under the project's tsconfig (`paths`, then `baseUrl`), in TypeScript's order. */
export type PathCandidates = (specifier: string) => string[];

/**
 * tsconfig.json's `paths` and `baseUrl`, read through `extends` by get-tsconfig
 * (JSONC, package configs, `${configDir}`), as TypeScript applies them; null
 * when neither is configured or the file cannot be read.
 */
export function tsconfigPaths(file: string): PathCandidates | null {
  try {
    return createPathsMatcher({ path: file, config: parseTsconfig(file) });
  } catch {
    // A broken tsconfig fails the user's type check; resolution goes on without it.
    return null;
  }
}
